%% tests/xen/xen_idle.erl — `receive after 100` under Xen blocks the vCPU.
%%
%% Measures the wall clock (erlang:monotonic_time, Xen's system time) and
%% the VM's CPU time (statistics(runtime): the vCPU's time running, from
%% Xen's runstate) around a 100 ms wait.  Prints whether the wait lasted
%% about 100 ms and whether the vCPU ran for less than a fifth of it; the
%% figures go to stderr.
-module(xen_idle).
-export([main/0]).

main() ->
    {Cpu0, _} = statistics(runtime),
    T0 = erlang:monotonic_time(microsecond),
    receive after 100 -> ok end,
    T1 = erlang:monotonic_time(microsecond),
    {Cpu1, _} = statistics(runtime),
    WallMs = (T1 - T0) / 1000,
    CpuMs = Cpu1 - Cpu0,
    io:format(standard_error, "wall ~.1f ms, cpu ~w ms~n", [WallMs, CpuMs]),
    io:format("waited about 100 ms: ~w~n", [WallMs >= 100 andalso WallMs < 250]),
    io:format("the vCPU was blocked: ~w~n", [CpuMs * 5 < WallMs]).
