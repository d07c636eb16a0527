-module(bignum).
-export([main/0]).

%% Digits of pi with Gibbons' unbounded spigot: bignum multiply, add and
%% divide on numbers that grow to thousands of bits.  The result is the
%% digit sum and the last ten digits, so it stays small.
main() ->
    T0 = erlang:monotonic_time(microsecond),
    Digits = pi(2000),
    R = {lists:sum(Digits), last10(Digits)},
    T1 = erlang:monotonic_time(microsecond),
    erlang:display({bignum, R, T1 - T0}).

pi(N) -> pi(N, 1, 0, 1, 1, 3, 3, []).

%% The state is the linear fractional transformation (Q, R, T) with K and
%% L; N is the next candidate digit.
pi(0, _, _, _, _, _, _, Acc) -> lists:reverse(Acc);
pi(Count, Q, R, T, K, N, L, Acc) when 4 * Q + R - T < N * T ->
    pi(Count - 1, 10 * Q, 10 * (R - N * T), T, K,
       (10 * (3 * Q + R)) div T - 10 * N, L, [N | Acc]);
pi(Count, Q, R, T, K, _, L, Acc) ->
    TL = T * L,
    pi(Count, Q * K, (2 * Q + R) * L, TL, K + 1,
       (Q * (7 * K + 2) + R * L) div TL, L + 2, Acc).

last10(Digits) ->
    lists:foldl(fun(D, A) -> A * 10 + D end, 0, lists:nthtail(length(Digits) - 10, Digits)).
