-module(arith).
-export([main/0]).

main() ->
    %% Small integers only: results stay within 28 bits (bignums come later).
    Xs = [0, 1, -1, 7, -7, 100, 12345, -99999, 1000000, -1000000],
    erlang:display({134217726 + 1, -134217727 - 1, 134217727 - 134217727, 8191 * 16383}),
    [show(X, Y) || X <- Xs, Y <- [1, 2, 3, -5, 17]],
    erlang:display([abs(X) || X <- Xs]),
    erlang:display([-X || X <- Xs]),
    erlang:display([X bsr 2 || X <- Xs]),
    erlang:display([bnot X || X <- Xs]),
    erlang:display([{X < 5, X >= 7, X == 100, X =:= 12345, X /= 0} || X <- Xs]),
    erlang:display(length(Xs)),
    erlang:display(tuple_size({a, b, c})),
    erlang:display(element(2, {a, b, c})).

show(X, Y) ->
    erlang:display({X + Y, X - Y, (X rem 1000) * Y, X div Y, X rem Y, X band Y, X bor Y, X bxor Y, (X band 255) bsl 3}).
