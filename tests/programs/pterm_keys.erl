%% persistent_term with keys of every kind: equal keys (by =:=, 0.0 and
%% -0.0 among them, a binary and its copy) find the same term, others
%% none; replacing, erasing, and 2,000 terms at once (the chains that
%% runtime-asm/pterm.asm hangs them in by a hash of the key).  A 20 MB
%% binary stored under 30 keys is referenced, not copied (copies would not
%% fit a 256 MiB image), and reads back, is sliced and appended to.
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
    io:format("~p~n", [lists:sum([persistent_term:get({n, I}, 0) || I <- lists:seq(1, 2000)])]),
    Big = binary:copy(<<"0123456789">>, 2000000),
    [persistent_term:put({big, I}, {I, Big}) || I <- lists:seq(1, 30)],
    Sizes = [byte_size(element(2, persistent_term:get({big, I}))) || I <- lists:seq(1, 30)],
    {_, B7} = persistent_term:get({big, 7}),
    App = <<B7/binary, "!">>,
    io:format("~p ~p ~p ~p ~p~n", [lists:usort(Sizes), B7 =:= Big, binary:part(B7, 19999995, 5),
                                   byte_size(App), binary:last(App)]).
