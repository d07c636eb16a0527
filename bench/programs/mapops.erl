-module(mapops).
-export([main/0]).

%% Maps: a small record-like map (20 atom keys, at most 32 so flat in
%% BEAM) updated with := and matched with #{K := V}; a large one (10,000
%% integer keys) built with maps:put and #{K => V}, read with maps:get,
%% maps:find and map patterns, updated with := and maps:update_with,
%% folded with maps:fold.  (Named mapops: a module named maps would
%% replace OTP's.)  The result is made of sums, sizes and sorted keys.
main() ->
    T0 = erlang:monotonic_time(microsecond),
    R = (loop(4, 0) + large(10000, 1)) band 16#FFFFFFF,
    T1 = erlang:monotonic_time(microsecond),
    erlang:display({mapops, R, T1 - T0}).

loop(0, Acc) -> Acc;
loop(N, Acc) -> loop(N - 1, (Acc + small(300000, N)) band 16#FFFFFFF).

%% The small map: a record-like state updated by many steps.
small(Steps, Seed) ->
    M0 = #{a => Seed, b => 0, c => 0, d => 0, e => 0, f => 0, g => 0, h => 0, i => 0,
           j => 0, k => 0, l => 0, m => 0, n => 0, o => 0, p => 0, q => 0, r => 0,
           s => 0, t => 0},
    M = small_steps(Steps, M0),
    #{a := A, t := T} = M,
    maps:fold(fun(_, V, S) -> S + V end, 0, M) + A * 3 + T + map_size(M).

small_steps(0, M) -> M;
small_steps(N, #{a := A, b := B, c := C} = M) ->
    K = element(N rem 17 + 1, {d, e, f, g, h, i, j, k, l, m, n, o, p, q, r, s, t}),
    M1 = M#{a := (A * 31 + N) rem 65537, b := B + 1, c := C + A rem 7},
    M2 = maps:update_with(K, fun(V) -> V + N end, M1),
    small_steps(N - 1, M2).

%% The large map: Size pseudo-random integer keys, then about as many
%% again.  Built once: xbeam keeps every map flat (one sorted key tuple),
%% so each insertion or update copies the whole map, and more rounds
%% would take minutes under QEMU.
large(Size, Seed) ->
    Keys = keys(Size, Seed + 1, []),
    M0 = lists:foldl(fun(K, M) -> maps:put(K, K rem 1000, M) end, #{}, Keys),
    %% Add K + 1 for each key K with the => syntax: new keys, since every
    %% K is a multiple of 3 (repeated keys just overwrite).
    M1 = lists:foldl(fun(K, M) -> M#{K + 1 => K rem 977} end, M0, Keys),
    Got = lists:foldl(fun(K, S) -> S + maps:get(K, M1) + lookup(K + 1, M1) end, 0, Keys),
    Missing = length([K || K <- Keys, maps:find(-K - 1, M1) =:= error]),
    %% Update every K: the even ones with :=, the odd with maps:update_with.
    M2 = lists:foldl(fun(K, M) when K rem 2 =:= 0 -> M#{K := 7};
                        (K, M) -> maps:update_with(K, fun(V) -> V * 2 end, M)
                     end, M1, Keys),
    Sum = maps:fold(fun(K, V, S) -> S + K * V end, 0, M2),
    Sorted = lists:sort(maps:keys(M2)),
    {_, Weighted} = lists:foldl(fun(K, {I, S}) -> {I + 1, S + I * K} end, {1, 0}, Sorted),
    (Got + Missing + Sum + map_size(M2) + Weighted) band 16#FFFFFFF.

lookup(K, #{} = M) ->
    case M of
        #{K := V} -> V;
        #{} -> 0
    end.

keys(0, _, Acc) -> Acc;
keys(N, S, Acc) ->
    S1 = (S * 75 + 74) rem 65537,
    keys(N - 1, S1, [S1 * 3 | Acc]).
