-module(idle_wait).
-export([main/0]).

%% `receive after 1000`: the VM should be idle for that second, not spin.
main() ->
    T0 = erlang:monotonic_time(millisecond),
    receive after 1000 -> ok end,
    Waited = erlang:monotonic_time(millisecond) - T0,
    io:format("waited about a second: ~p~n", [Waited >= 1000 andalso Waited < 1500]).
