-module(records).
-export([main/0]).

-record(point, {x = 0, y = 0, label = none}).

main() ->
    P = #point{x = 3, y = 4},
    erlang:display(P),
    erlang:display(P#point.x * P#point.y),
    Q = P#point{label = 'origin shifted'},
    erlang:display(Q),
    erlang:display([classify(T) || T <- [1, -3, 0, atom, [], [a], {}, {x, y}, "str", P]]),
    erlang:display(sum_points([#point{x = I, y = I * 2} || I <- seq(1, 50)], 0)),
    erlang:display(qsort([5, 3, 9, 1, 7, 3, 0, -2, 8, 6, 4, 2])),
    erlang:display(qsort([pear, apple, fig, 'Zebra', banana, {1}, [x], 42, []])),
    erlang:display(reverse(seq(1, 20), [])).

classify(X) when is_integer(X), X > 0 -> positive;
classify(X) when is_integer(X), X < 0 -> negative;
classify(0) -> zero;
classify(X) when is_atom(X) -> {atom, X};
classify([]) -> empty;
classify([H | _]) -> {list, H};
classify(#point{x = X}) -> {point, X};
classify(T) when is_tuple(T) -> {tuple, tuple_size(T)}.

sum_points([], Acc) -> Acc;
sum_points([#point{x = X, y = Y} | T], Acc) -> sum_points(T, Acc + X * Y).

qsort([]) -> [];
qsort([P | T]) -> qsort([X || X <- T, X < P]) ++ [P] ++ qsort([X || X <- T, X >= P]).

seq(A, B) when A > B -> [];
seq(A, B) -> [A | seq(A + 1, B)].

reverse([], Acc) -> Acc;
reverse([H | T], Acc) -> reverse(T, [H | Acc]).
