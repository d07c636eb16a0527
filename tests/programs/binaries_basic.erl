-module(binaries_basic).
-export([main/0]).

%% Heap binaries from iolists and back: list_to_binary, iolist_to_binary,
%% binary_to_list/1,3, byte_size, iolist_size, and ~s of binaries.
main() ->
    B = list_to_binary([<<"ab">>, $c, [$d, [<<>>, "ef"]]]),
    io:format("~p ~p~n", [byte_size(B), binary_to_list(B)]),
    io:format("~p~n", [binary_to_list(B, 2, 4)]),
    io:format("~p ~p~n", [byte_size(iolist_to_binary([])), iolist_size([B, B])]),
    io:format("~s|~ts~n", [<<"bin">>, <<"text">>]),
    ok.
