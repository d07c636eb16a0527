-module(crash).
-export([main/0]).

main() ->
    erlang:display(start),
    {ok, X} = check(7),
    erlang:display(X).

check(N) when N > 5 -> {error, N};
check(N) -> {ok, N}.
