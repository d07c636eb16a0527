%% persistent_term with keys of every kind: equal keys (by =:=, 0.0 and
%% -0.0 among them, a binary and its copy) find the same term, others
%% none; replacing, erasing, and 2,000 terms at once (the chains that
%% runtime-asm/pterm.asm hangs them in by a hash of the key).
-module(pterm_keys).
-export([main/0]).
main() ->
    Keys = [a, 1, -5, 1.0, 0.0, -0.0, "abc", [1,2|3], {x, y}, {x, make_ref()}, <<"bin">>, <<1:3>>,
            list_to_binary(lists:seq(1, 100)), 1 bsl 70, -(1 bsl 70), self(), fun() -> ok end,
            #{a => 1}, {}, [], {1, {2, {3, {4, {5}}}}}, lists:seq(1, 10), "abd"],
    [persistent_term:put({k, K}, I) || {I, K} <- lists:zip(lists:seq(1, length(Keys)), Keys)],
    io:format("~w~n", [[persistent_term:get({k, K}) || K <- Keys]]),
    io:format("~w~n", [[persistent_term:get({k, K}, none) || K <- [b, 2, 2.0, "abe", <<"bim">>, {x, z}]]]),
    io:format("~w~n", [[persistent_term:get({k, K}) || K <- [0.0, binary:copy(<<"bin">>), list_to_binary(lists:seq(1, 100)), [1,2|3]]]]),
    [persistent_term:put({k, K}, x) || K <- lists:sublist(Keys, 5)],
    [persistent_term:erase({k, K}) || K <- lists:sublist(Keys, 6, 5)],
    io:format("~w~n", [[persistent_term:get({k, K}, none) || K <- Keys]]),
    [persistent_term:put({n, I}, I * 2) || I <- lists:seq(1, 2000)],
    io:format("~p~n", [lists:sum([persistent_term:get({n, I}) || I <- lists:seq(1, 2000)])]),
    [persistent_term:erase({n, I}) || I <- lists:seq(1, 2000, 3)],
    io:format("~p~n", [lists:sum([persistent_term:get({n, I}, 0) || I <- lists:seq(1, 2000)])]).
