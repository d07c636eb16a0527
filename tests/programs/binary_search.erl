%% The binary module's searching BIFs (runtime-erl/xbeam_binary.erl) and
%% the string functions built on them; erl_error's explanation of a BIF's
%% bad argument (its error_info module is in the image: loader/reach.ts).
-module(binary_search).
-export([main/0]).

main() ->
    S = <<"hello, world, and all">>,
    io:format("~p~n", [[binary:match(S, <<", ">>), binary:match(S, [<<"o">>, <<"wor">>]), binary:match(S, <<"zz">>),
        binary:matches(S, [<<"l">>, <<"ll">>]), binary:split(S, <<", ">>), binary:split(S, <<", ">>, [global]),
        binary:split(<<",a,,b,">>, <<",">>, [global, trim]), binary:split(<<",a,,b,">>, <<",">>, [global, trim_all]),
        binary:match(S, <<"o">>, [{scope, {5, 10}}]), reason(catch binary:match(S, <<>>)),
        string:lexemes("a b  c", " "), string:split("a,b,c", ","), string:split(<<"a,b,c">>, ",", all),
        string:find("hello world", "o w"), string:replace("abcabc", "b", "X", all)]]),
    try lists:keyfind(a, x, [])
    catch C:R:St ->
        Text = erl_error:format_exception(C, R, St),
        io:format("~ts~n", [lists:sublist(string:split(unicode:characters_to_list(Text), "\n", all), 4)])
    end,
    ok.

reason({'EXIT', {Reason, [{M, F, Args, _} | _]}}) -> {Reason, M, F, Args}.
