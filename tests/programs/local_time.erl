%% tests/programs/local_time.erl — erlang's local-time BIFs (an image's
%% local time is UTC, as erl's with TZ=UTC), their checks, and calendar's
%% functions built on them.
-module(local_time).
-export([main/0]).

try_(F) -> try F() catch C:R -> {C, R} end.

main() ->
    DateTimes = [{{2026,11,28},{3,57,25}}, {{1969,1,1},{0,0,0}}, {{1900,2,29},{0,0,0}},
                 {{2024,2,29},{23,59,59}}, {{2023,2,29},{0,0,0}}, {{2026,1,1},{24,0,0}},
                 {{2026,1,1},{0,60,0}}, {{2026,1,1},{0,0,60}}, {{-1,1,1},{0,0,0}},
                 {{0,1,1},{0,0,0}}, {{10000,1,1},{0,0,0}}, foo, {{a,1,1},{0,0,0}}, {{2026,1,1},{0,0}}],
    [io:format("~p -> ~p ~p ~p~n", [DT, try_(fun() -> erlang:universaltime_to_localtime(DT) end),
                                    try_(fun() -> erlang:localtime_to_universaltime(DT) end),
                                    try_(fun() -> erlang:universaltime_to_posixtime(DT) end)])
     || DT <- DateTimes],
    [io:format("dst ~p -> ~p~n", [D, try_(fun() -> erlang:localtime_to_universaltime({{2026,1,1},{0,30,0}}, D) end)])
     || D <- [true, false, undefined, x]],
    [io:format("posix ~p -> ~p~n", [S, try_(fun() -> erlang:posixtime_to_universaltime(S) end)])
     || S <- [0, 1795838254, -1, -62135596800, -62135596801, -62162035200, 1 bsl 40, foo, 1.0]],
    io:format("~s~n", [calendar:system_time_to_rfc3339(1795838254)]),
    io:format("~s~n", [calendar:system_time_to_rfc3339(1795838254123, [{unit, millisecond}])]),
    io:format("~p~n", [calendar:universal_time_to_local_time({{2026,6,1},{12,0,0}})]),
    io:format("~p~n", [calendar:local_time_to_universal_time_dst({{2026,6,1},{12,0,0}})]),
    Now = erlang:localtime(),
    io:format("localtime is universaltime: ~p~n", [erlang:localtime_to_universaltime(Now) =:= Now]).
