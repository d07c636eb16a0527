-module(apply).
-export([main/0, double/1, pair/2]).

double(X) -> 2 * X.
pair(A, B) -> {A, B}.

main() ->
    erlang:display(apply(erlang, '+', [1, 2])),
    erlang:display(apply(?MODULE, double, [21])),
    M = id(apply), F = id(pair),
    erlang:display(M:F(x, y)),
    erlang:display(apply(M, F, [1, [2]])),
    erlang:display(apply(fun(A, B) -> A - B end, [10, 3])),
    erlang:display(apply(erlang, element, [2, {a, b, c}])),
    erlang:display(apply(erlang, length, [[a, b, c]])),
    %% Only the reasons: xbeam keeps no stacktraces yet.
    erlang:display(reason(catch apply(erlang, length, [id(not_a_list)]))),
    erlang:display(reason(catch apply(no_such_module, f, [1]))),
    erlang:display(reason(catch apply(?MODULE, double, [1, 2]))),
    erlang:display(reason(catch apply(?MODULE, not_exported, []))),
    erlang:display([apply(erlang, Op, [12, 5]) || Op <- ['+', '-', '*', 'div', 'rem', 'band', 'bor', '<', '>=', '=:=']]).

id(X) -> X.

reason({'EXIT', {R, _Stack}}) -> R.
