-module(fib).
-export([main/0]).

fib(0) -> 0;
fib(1) -> 1;
fib(N) -> fib(N - 1) + fib(N - 2).

main() ->
    erlang:display(fib(20)),
    erlang:display([fib(N) || N <- lists_seq(0, 10)]),
    erlang:display({ok, hello, 'World', "str", [1,2|3]}),
    erlang:display(len(lists_seq(1, 100000), 0)).

lists_seq(A, B) when A > B -> [];
lists_seq(A, B) -> [A | lists_seq(A + 1, B)].

len([], N) -> N;
len([_ | T], N) -> len(T, N + 1).
