-module(exit_to_self).
-export([main/0]).

%% Messages a process gets from itself: link/1 to a dead process and
%% exit(self(), Reason) while trapping exits, a self-send, monitor/2 of a
%% dead process.
main() ->
    process_flag(trap_exit, true),
    Dead = spawn(fun() -> ok end),
    timer:sleep(5),
    true = link(Dead),
    receive M1 -> io:format("~p~n", [element(3, M1)]) end,
    exit(self(), custom),
    receive {'EXIT', P, R} -> io:format("~p ~p~n", [P =:= self(), R]) end,
    self() ! hi,
    receive hi -> io:format("self send~n") end,
    Ref = monitor(process, Dead),
    receive {'DOWN', Ref, process, Dead, Why} -> io:format("~p~n", [Why]) end.
