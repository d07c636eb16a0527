-module(timers_send_after).
-export([main/0]).
main() ->
    R1 = erlang:send_after(50, self(), first),
    R2 = erlang:start_timer(20, self(), second),
    R3 = erlang:send_after(1000, self(), never),
    Left = erlang:read_timer(R3),
    io:format("read: ~p~n", [Left > 900 andalso Left =< 1000]),
    C = erlang:cancel_timer(R3),
    io:format("cancel: ~p ~p~n", [is_integer(C), erlang:cancel_timer(R3)]),
    io:format("read after: ~p~n", [erlang:read_timer(R3)]),
    receive {timeout, R2, second} -> io:format("second first~n") end,
    receive first -> io:format("then first~n") end,
    io:format("r1 gone: ~p~n", [erlang:read_timer(R1)]),
    register(me, self()),
    erlang:send_after(10, me, by_name),
    receive by_name -> io:format("by name~n") end,
    T0 = erlang:monotonic_time(millisecond),
    timer:sleep(30),
    io:format("slept: ~p~n", [erlang:monotonic_time(millisecond) - T0 >= 30]),
    {Mega, S, Micro} = os:timestamp(),
    io:format("timestamp: ~p~n", [Mega > 1700 andalso S < 1000000 andalso Micro < 1000000]),
    io:format("system_time: ~p~n", [erlang:system_time(second) > 1700000000]),
    ok.
