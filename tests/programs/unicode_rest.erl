%% unicode:characters_to_binary/1,2 and characters_to_list/1,2 on data that
%% is cut short or invalid: the characters before, and the rest in BEAM's
%% shape (UTF-8 characters that span binaries, the rest from the element at
%% fault in the lists around it, a list of one binary), for latin1, UTF-8
%% and UTF-16 input.
-module(unicode_rest).
-export([main/0]).

main() ->
    Cases = [[<<200>>], [<<"ab">>, <<200>>], [$a, -1], [$a, [-1]], [$a, [$b, -1, $c]], <<"ab", 200>>,
             [<<"a">>, <<16#e2, 16#82>>], [<<16#e2>>, <<16#82, 16#ac>>], [1114112], [[<<"x">>], 16#110000, $y],
             [$a | <<200>>], [<<"ok">> | <<16#e2, 16#82>>], [$a, <<255>>, $b], [[$a, <<255>>], $b],
             [<<200>>, $a], [[<<200>>], $a], [[<<200>>, $b], $a], [$x, [<<200>>, $b], $a], [<<"ab", 200, "c">>, $z],
             [<<226>>, $a], [<<226>>, <<130>>], [<<226>>, <<130>>, $a], [[<<226>>], [<<130, 172, 200>>]],
             [<<226>>, [<<130>>, <<172, 65>>]], [<<226>>, 65], [<<200>>, <<65>>], [-1, $a], [[-1], $a],
             [$a, [$b, [-1, $c]]], [<<226>>|<<130,172>>], [<<"a">>, [<<226>>|<<130>>]],
             [<<97,200>>, 98], [[<<97,200>>, 98], 99], [<<200,1>>, 2], [<<97>>, <<200>>, 98], [[[<<200>>]], 1],
             [[<<97,200>>],1], [<<97>>,[<<200>>,1],2], [<<226,130>>, 1], [1,<<97,226>>], [[-1]], [[[-1]],1],
             [1,[2,-1,3],4], [<<97>>,1|<<200>>], [[1|<<200>>],2], [<<>>, <<200>>, []], [<<255>>], [[<<255>>]],
             [<<97,255>>], [<<255>>, []], [[$a, <<255>>]], [<<255>>|<<1>>], [$a|<<255>>], <<255, 1>>,
             [<<0, 97, 16#d8>>, <<0, 16#dc, 0>>], [a], [$a | b], <<>>, [], [[], <<>>], 1.5],
    [io:format("~w:~n  ~w~n  ~w~n  ~w~n  ~w~n", [C, run(fun unicode:characters_to_binary/1, [C]),
                                             run(fun unicode:characters_to_list/1, [C]),
                                             run(fun unicode:characters_to_binary/2, [C, latin1]),
                                             run(fun unicode:characters_to_list/2, [C, utf16])]) || C <- Cases],
    ok.

run(F, Args) ->
    try apply(F, Args)
    catch error:R:S -> {R, hd(S)}
    end.
