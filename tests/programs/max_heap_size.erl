-module(max_heap_size).

%% A process that outgrows its max_heap_size is killed; the others go on.
-export([main/0]).
main() ->
    {Pid, Ref} = spawn_opt(fun() -> grow([]) end,
                           [monitor, {max_heap_size, #{size => 100000, kill => true, error_logger => false}}]),
    receive {'DOWN', Ref, process, Pid, Reason} -> io:format("grower died: ~p~n", [Reason]) end,
    io:format("main goes on: ~p~n", [lists:sum(lists:seq(1, 100))]),
    Old = process_flag(max_heap_size, 1000000),
    io:format("old limit: ~p~n", [maps:get(size, Old)]),
    ok.
grow(L) -> grow([L | L]).
