-module(fib).
-export([main/0]).

%% Doubly recursive Fibonacci: calls, small-integer arithmetic, comparisons.
main() ->
    T0 = erlang:monotonic_time(microsecond),
    R = fib(35),
    T1 = erlang:monotonic_time(microsecond),
    erlang:display({fib, R, T1 - T0}).

fib(N) when N < 2 -> N;
fib(N) -> fib(N - 1) + fib(N - 2).
