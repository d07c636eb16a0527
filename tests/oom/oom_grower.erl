-module(oom_grower).
-export([main/0]).

%% A process that allocates without bound runs out of memory: it dies
%% (killed, as with max_heap_size), and the VM and the others go on.
%% (Under erl this would take all the machine's memory: xbeam only.)
main() ->
    {Pid, Ref} = spawn_monitor(fun() -> grow([]) end),
    receive {'DOWN', Ref, process, Pid, Reason} -> io:format("grower died: ~p~n", [Reason]) end,
    io:format("main goes on: ~p~n", [lists:sum(lists:seq(1, 100))]).

grow(L) -> grow([L | L]).
