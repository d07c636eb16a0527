-module(apply).
-export([main/0, double/1, pair/2]).
-export([f01/0, f02/0, f03/0, f04/0, f05/0, f06/0, f07/0, f08/0, f09/0, f10/0]).

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
    erlang:display([apply(?MODULE, G, []) || G <- [f01, f02, f03, f04, f05, f06, f07, f08, f09, f10]]),
    erlang:display([apply(erlang, Op, [12, 5]) || Op <- ['+', '-', '*', 'div', 'rem', 'band', 'bor', '<', '>=', '=:=']]).

id(X) -> X.

reason({'EXIT', {R, _Stack}}) -> R.

%% Enough exported functions to spread over the export table.
f01() -> 1. f02() -> 2. f03() -> 3. f04() -> 4. f05() -> 5.
f06() -> 6. f07() -> 7. f08() -> 8. f09() -> 9. f10() -> 10.
