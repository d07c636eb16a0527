-module(qsort).
-export([main/0]).

%% Quicksort of pseudo-random integers: comparisons, list building, GC.
main() ->
    L = random(2000, 12345, []),
    T0 = erlang:monotonic_time(microsecond),
    R = loop(600, L, []),
    T1 = erlang:monotonic_time(microsecond),
    erlang:display({qsort, hd(R), T1 - T0}).

loop(0, _, Acc) -> Acc;
loop(N, L, _) -> loop(N - 1, L, qsort(L)).

qsort([]) -> [];
qsort([P | T]) -> qsort(lt(P, T, [])) ++ [P | qsort(ge(P, T, []))].

lt(_, [], Acc) -> Acc;
lt(P, [X | T], Acc) when X < P -> lt(P, T, [X | Acc]);
lt(P, [_ | T], Acc) -> lt(P, T, Acc).

ge(_, [], Acc) -> Acc;
ge(P, [X | T], Acc) when X >= P -> ge(P, T, [X | Acc]);
ge(P, [_ | T], Acc) -> ge(P, T, Acc).

%% A linear congruential generator that stays within small integers.
random(0, _, Acc) -> Acc;
random(N, S, Acc) ->
    S1 = (S * 75 + 74) rem 65537,
    random(N - 1, S1, [S1 | Acc]).
