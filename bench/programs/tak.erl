-module(tak).
-export([main/0]).

%% Takeuchi's function: deep non-tail recursion with three arguments.
main() ->
    T0 = erlang:monotonic_time(microsecond),
    R = repeat(600, 0),
    T1 = erlang:monotonic_time(microsecond),
    erlang:display({tak, R, T1 - T0}).

repeat(0, Acc) -> Acc;
repeat(N, _) -> repeat(N - 1, tak(18, 12, 6)).

tak(X, Y, Z) when Y < X -> tak(tak(X - 1, Y, Z), tak(Y - 1, Z, X), tak(Z - 1, X, Y));
tak(_, _, Z) -> Z.
