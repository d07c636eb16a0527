%% A -- B (runtime-asm/lists.asm): the first exactly equal element goes,
%% for each element of B; badarg for an improper list; and fast enough for
%% lists_SUITE's trapping test (2^18 elements, hundreds of rounds).
-module(list_subtract).
-export([main/0]).

main() ->
    io:format("~p~n", [[[] -- [], [a] -- [a], [a, b] -- [b, c], [a, b, c, d, a, x, a] -- id([a, b, c, a]),
                        [42.0, 42, 42.0] -- id([42, 42, 42]), [1, 2, 3, 4, 5, 42.0, 43.0] -- id([42.0, 5]),
                        (lists:seq(1, 10000) ++ [20, 21, 22]) -- lists:seq(10, 9998),
                        [{1, 2}, "x", <<1>>, 1 bsl 70, self(), 2.5] -- id([self(), <<1>>, {1, 2}, 1 bsl 70])]]),
    io:format("~p~n", [[reason(catch id([a]) -- id([a | b])), reason(catch id([a | b]) -- id([]))]]),
    Ids = [2985095936, 47540628, 135460048, 1266126295, 240535295, 115724671, 161800351, 4187206564,
           4178142725, 234897063, 14773162, 6662515191, 133150693, 378034895, 1874402262, 3507611978,
           22850922, 415521280, 253360400, 71683243],
    io:format("~p~n", [id(Ids) -- id(Ids)]),
    io:format("~p~n", [rounds(lists:duplicate(18 + (1 bsl 18), gurka), [], 0)]),
    ok.

rounds([], _, N) -> N;
rounds(L, R, N) -> rounds(L -- R, [gurka | R], N + 1).

reason({'EXIT', {Reason, [{M, F, Args, _} | _]}}) -> {Reason, M, F, Args}.

id(X) -> X.
