-module(conversions).
-export([main/0]).

main() ->
    Ns = [0, 7, -7, 255, -256, 12345678, -134217728, 134217727],
    erlang:display([integer_to_list(N) || N <- Ns]),
    erlang:display([integer_to_list(N, B) || N <- Ns, B <- [2, 16, 36]]),
    erlang:display([list_to_integer(integer_to_list(N)) || N <- Ns]),
    erlang:display([list_to_integer(S, B) || {S, B} <- [{"ff", 16}, {"-1010", 2}, {"zz", 36}, {"+77", 8}, {"0", 3}]]),
    erlang:display([reason(catch list_to_integer(S)) || S <- ["", "-", "12a", "1.5", [1 | 2]]]),
    erlang:display([atom_to_list(A) || A <- [ok, 'Hello World', '', 'é', 'α→β']]),
    T = {a, b, c, d},
    erlang:display(tuple_to_list(T)),
    erlang:display(list_to_tuple([1, [2], {3}])),
    erlang:display(setelement(2, T, x)),
    erlang:display(erlang:make_tuple(3, z)),
    erlang:display(reason(catch setelement(5, id(T), x))),
    Preds = [is_integer(7), is_integer(a), is_atom(a), is_list([]), is_list([1]), is_tuple({}),
             is_function(fun() -> ok end), is_boolean(true), is_boolean(1)],
    erlang:display(Preds),
    erlang:display(big_texts()),
    erlang:display(big_parse()),
    erlang:display(big_tuple_gc(2000)).

reason({'EXIT', {R, _}}) -> R.

id(X) -> X.

%% Tuples and strings built by BIFs must survive collections.
big_tuple_gc(0) -> done;
big_tuple_gc(N) ->
    T = erlang:make_tuple(50, integer_to_list(N)),
    L = tuple_to_list(setelement(3, T, N)),
    case length(L) of 50 -> big_tuple_gc(N - 1) end.

%% Bignums in every base (called from main/0 through big_texts/0).
big_texts() ->
    Bs = [1 bsl 40, -(1 bsl 40), 1 bsl 100 + 12345, -(1 bsl 200) - 1, 12345678901234567890123456789],
    [[integer_to_list(B, Base) || Base <- [2, 7, 10, 16, 36]] || B <- Bs] ++ [integer_to_list(B) || B <- Bs].

big_parse() ->
    Texts = [{"18446744073709551616", 10}, {"-18446744073709551617", 10}, {"134217727", 10}, {"134217728", 10},
             {"-134217728", 10}, {"-134217729", 10}, {"zzzzzzzzzzzzzzzzzzzzzzzz", 36}, {"-ffffffffffffffffffffffffffff", 16},
             {"+000000000000000000000000000000123", 10}, {"10101010101010101010101010101010101010101", 2}],
    [list_to_integer(T, B) || {T, B} <- Texts].
