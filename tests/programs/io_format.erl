-module(io_format).
-export([main/0]).
-record(point, {x, y}).

main() ->
    io:format("plain text~n"),
    io:format("~w ~p ~s~n", [atom, 'Quoted atom', "a string"]),
    io:format("~p~n", [[1, 2, 3]]),
    io:format("~p~n", ["printable"]),
    io:format("~w~n", ["printable"]),
    io:format("~p~n", [{tuple, [nested, {deep, [1 | 2]}], "s"}]),
    io:format("~p ~p~n", [123456789012345678901234567890, -98765432109876543210]),
    io:format("~b ~B ~.16B ~.2B ~8.16.0B~n", [255, 255, 255, 5, 48879]),
    io:format("[~5w] [~-5w] [~5s] [~-6s] [~c]~n", [ab, ab, "xy", "xy", $z]),
    io:format("~~ ~i~w~n", [ignored, shown]),
    io:format("~p~n", [#point{x = 1, y = 2}]),
    io:format("~p~n", [lists:seq(1, 40)]),
    io:format("~p~n", [[{key, "value", N} || N <- lists:seq(1, 8)]]),
    io:format("~w~n", [[{key, "value", N} || N <- lists:seq(1, 8)]]),
    io:format("~p~n", [#{a => 1, b => [x, y]}]),
    io:put_chars("put_chars\n"),
    io:put_chars(["deep", [$i, "o", [$l, "ist"]], $\n]),
    io:write({written, 42}),
    io:nl(),
    S = lists:flatten(io_lib:format("~p and ~w", [[a, b], 7])),
    io:format("~s (~w chars)~n", [S, length(S)]),
    io:format("~p~n", [[]]),
    io:format("~p~n", [{}]),
    io:format("~10.3s|~n", ["abcdef"]),
    ok.
