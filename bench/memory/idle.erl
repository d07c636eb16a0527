-module(idle).
-export([main/0]).

%% Memory per idle process: 100,000 processes waiting in receive; the
%% growth of erlang:memory(processes), per process.
main() ->
    N = 100000,
    Before = erlang:memory(processes),
    Pids = [spawn(fun() -> receive stop -> ok end end) || _ <- lists:seq(1, N)],
    erlang:yield(),
    After = erlang:memory(processes),
    erlang:display({idle, (After - Before) div N}),
    [P ! stop || P <- Pids],
    ok.
