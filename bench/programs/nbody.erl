-module(nbody).
-export([main/0]).

%% The n-body simulation of the Computer Language Benchmarks Game (the Sun
%% and the four giant planets, symplectic Euler steps of 0.01 days): float
%% arithmetic, sqrt, tuples rebuilt every step.  The result is the energy
%% before and after, times 1e9 and rounded, so both sides print integers.
-define(PI, 3.141592653589793).
-define(SOLAR_MASS, (4 * ?PI * ?PI)).
-define(DAYS_PER_YEAR, 365.24).

main() ->
    T0 = erlang:monotonic_time(microsecond),
    Bodies = offset_momentum(bodies()),
    E0 = energy(Bodies),
    E1 = energy(advance(400000, Bodies)),
    R = {round(E0 * 1.0e9), round(E1 * 1.0e9)},
    T1 = erlang:monotonic_time(microsecond),
    erlang:display({nbody, R, T1 - T0}).

%% A body is {X, Y, Z, VX, VY, VZ, Mass}.
bodies() ->
    [{0.0, 0.0, 0.0, 0.0, 0.0, 0.0, ?SOLAR_MASS},
     %% Jupiter
     {4.84143144246472090e+00, -1.16032004402742839e+00, -1.03622044471123109e-01,
      1.66007664274403694e-03 * ?DAYS_PER_YEAR, 7.69901118419740425e-03 * ?DAYS_PER_YEAR,
      -6.90460016972063023e-05 * ?DAYS_PER_YEAR, 9.54791938424326609e-04 * ?SOLAR_MASS},
     %% Saturn
     {8.34336671824457987e+00, 4.12479856412430479e+00, -4.03523417114321381e-01,
      -2.76742510726862411e-03 * ?DAYS_PER_YEAR, 4.99852801234917238e-03 * ?DAYS_PER_YEAR,
      2.30417297573763929e-05 * ?DAYS_PER_YEAR, 2.85885980666130812e-04 * ?SOLAR_MASS},
     %% Uranus
     {1.28943695621391310e+01, -1.51111514016986312e+01, -2.23307578892655734e-01,
      2.96460137564761618e-03 * ?DAYS_PER_YEAR, 2.37847173959480950e-03 * ?DAYS_PER_YEAR,
      -2.96589568540237556e-05 * ?DAYS_PER_YEAR, 4.36624404335156298e-05 * ?SOLAR_MASS},
     %% Neptune
     {1.53796971148509165e+01, -2.59193146099879641e+01, 1.79258772950371181e-01,
      2.68067772490389322e-03 * ?DAYS_PER_YEAR, 1.62824170038242295e-03 * ?DAYS_PER_YEAR,
      -9.51592254519715870e-05 * ?DAYS_PER_YEAR, 5.15138902046611451e-05 * ?SOLAR_MASS}].

%% Give the Sun the momentum that makes the system's total zero.
offset_momentum([{X, Y, Z, _, _, _, M} | Planets] = Bodies) ->
    {PX, PY, PZ} = lists:foldl(fun({_, _, _, VX, VY, VZ, Mi}, {AX, AY, AZ}) ->
                                       {AX + VX * Mi, AY + VY * Mi, AZ + VZ * Mi}
                               end, {0.0, 0.0, 0.0}, Bodies),
    [{X, Y, Z, -PX / ?SOLAR_MASS, -PY / ?SOLAR_MASS, -PZ / ?SOLAR_MASS, M} | Planets].

energy(Bodies) -> energy(Bodies, 0.0).

energy([], E) -> E;
energy([{X, Y, Z, VX, VY, VZ, M} | Rest], E) ->
    E1 = E + 0.5 * M * (VX * VX + VY * VY + VZ * VZ),
    energy(Rest, lists:foldl(fun({X2, Y2, Z2, _, _, _, M2}, Acc) ->
                                     DX = X - X2, DY = Y - Y2, DZ = Z - Z2,
                                     Acc - (M * M2) / math:sqrt(DX * DX + DY * DY + DZ * DZ)
                             end, E1, Rest)).

advance(0, Bodies) -> Bodies;
advance(N, Bodies) -> advance(N - 1, move(velocities(Bodies), 0.01)).

%% Update every pair's velocities: each body against all those after it.
velocities([]) -> [];
velocities([B | Rest]) ->
    {B1, Rest1} = pairs(B, Rest, [], 0.01),
    [B1 | velocities(Rest1)].

pairs(B, [], Done, _) -> {B, lists:reverse(Done)};
pairs({X, Y, Z, VX, VY, VZ, M}, [{X2, Y2, Z2, VX2, VY2, VZ2, M2} | Rest], Done, Dt) ->
    DX = X - X2, DY = Y - Y2, DZ = Z - Z2,
    D2 = DX * DX + DY * DY + DZ * DZ,
    Mag = Dt / (D2 * math:sqrt(D2)),
    MM = M * Mag, MM2 = M2 * Mag,
    pairs({X, Y, Z, VX - DX * MM2, VY - DY * MM2, VZ - DZ * MM2, M},
          Rest, [{X2, Y2, Z2, VX2 + DX * MM, VY2 + DY * MM, VZ2 + DZ * MM, M2} | Done], Dt).

move([], _) -> [];
move([{X, Y, Z, VX, VY, VZ, M} | Rest], Dt) ->
    [{X + Dt * VX, Y + Dt * VY, Z + Dt * VZ, VX, VY, VZ, M} | move(Rest, Dt)].
