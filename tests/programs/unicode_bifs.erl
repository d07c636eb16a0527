%% unicode's BIFs (characters_to_list/2, characters_to_binary/2,
%% bin_is_7bit/1) through the unicode and string functions built on them,
%% and a few small BIFs: size/1 of a bitstring, erts_debug:flat_size/1,
%% atom_to_binary/binary_to_atom, the console's port in erlang:ports().
-module(unicode_bifs).
-export([main/0]).

main() ->
    io:format("~p~n", [unicode:characters_to_list(<<"héllo"/utf8>>)]),
    io:format("~p~n", [unicode:characters_to_list([<<"ab">>, $c, [<<"d">>]], latin1)]),
    io:format("~p~n", [unicode:characters_to_binary([1024, <<"x">>])]),
    io:format("~p~n", [unicode:characters_to_binary(<<"abc">>, latin1, utf8)]),
    io:format("~p~n", [unicode:characters_to_binary([16#10000, 16#41], unicode, utf16)]),
    %% Iodata of bytes below 128 (the fast path), and what only looks like it.
    %% (Not yet as BEAM: the rest of an error or incomplete tail, and
    %% multi-byte encodings across the binaries of a list.)
    [io:format("~w~n", [try unicode:characters_to_binary(D, E) catch error:R:S -> {R, hd(S)} end])
     || E <- [unicode, latin1, utf8],
        D <- ["", "hello", [<<"ab">>, $c, [<<"d">> | <<"e">>]], <<"x">>, <<127, 128>>, [200, $a],
              [<<"a", 195, 164>>], [1024], [a], [<<"x">>, [a]], [<<1:3>>], [$a | $b], "é" ++ [<<"€"/utf8>>]]],
    [io:format("~w~n", [try unicode:characters_to_list(D, E) catch error:R:S -> {R, hd(S)} end])
     || E <- [unicode, latin1], D <- [[a], [<<"x">>, [a]], [$a | $b], <<"abc">>]],
    io:format("~p ~p ~p~n", [unicode:bin_is_7bit(<<"abcdefgh">>), unicode:bin_is_7bit(<<"abcdefg", 200>>),
                             unicode:bin_is_7bit(<<>>)]),
    io:format("~p~n", [unicode:characters_to_list(<<"a", 16#e4, 16#b8>>)]),
    io:format("~p~n", [unicode:characters_to_list(<<"a", 255, 1>>)]),
    io:format("~p~n", [unicode:characters_to_list([$a, 16#D800, $b])]),
    io:format("~p~n", [string:to_integer("12373281903728109372810937209817320981321")]),
    io:format("~p~n", [string:uppercase("straße")]),
    io:format("~p ~p~n", [size(<<1:3>>), size(<<1, 2, 3:4>>)]),
    io:format("~p~n", [erts_debug:flat_size({a, [1, 2], <<"xyz">>})]),
    io:format("~p ~p~n", [atom_to_binary('héllo'), binary_to_atom(<<"héllo"/utf8>>)]),
    io:format("~p ~p~n", [first(catch atom_to_binary(id('ĉ'), latin1)), first(catch binary_to_atom(id(<<255>>), utf8))]),
    io:format("~p~n", [is_port(hd(erlang:ports()))]),
    ok.

id(X) -> X.

%% The reason and the BIF frame of an error.
first({'EXIT', {Reason, [Frame | _]}}) -> {Reason, Frame}.
