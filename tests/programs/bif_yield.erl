%% Long BIFs use up reductions (BEAM's yield): a process calling
%% list_to_binary/1, iolist_size/1 or binary_to_list/1 on megabytes in a
%% loop yields after each call, so that the process that started it gets
%% to kill it at once, not after thousands of calls.  (The margin is wide:
%% a slice of such calls takes many seconds.)
-module(bif_yield).
-export([main/0, worker/3]).
main() ->
    L = lists:duplicate(2000000, $x),
    B = list_to_binary(L),
    [begin
         T0 = erlang:monotonic_time(millisecond),
         {W, Ref} = spawn_monitor(?MODULE, worker, [Bif, Args, self()]),
         receive started -> ok end,
         exit(W, kill),
         receive {'DOWN', Ref, process, W, _} -> ok end,
         Took = erlang:monotonic_time(millisecond) - T0,
         io:format("~p ~p~n", [Bif, Took < 2000])
     end || {Bif, Args} <- [{list_to_binary, [L]}, {iolist_size, [L]}, {binary_to_list, [B]}]],
    ok.

worker(Bif, Args, Parent) ->
    Parent ! started,
    loop(Bif, Args, 1000).

loop(_, _, 0) -> ok;
loop(Bif, Args, N) -> apply(erlang, Bif, Args), loop(Bif, Args, N - 1).
