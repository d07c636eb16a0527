%% runtime-erl/xbeam_bifs.erl — BIFs of the erlang module that are natural
%% in Erlang, on top of the runtime's primitives (runtime-asm/).
%%
%% emitter/bifs.ts sends calls to erlang:F/A here.  Straight-line code
%% with no call to a local or external Erlang function cannot be
%% preempted (reductions are counted at function entries), so spawn then
%% monitor below is as atomic as BEAM's.
-module(xbeam_bifs).
-compile({no_auto_import, [process_info/2, spawn_monitor/1, spawn_monitor/3, spawn_opt/2, spawn_opt/4]}).
-export([spawn_monitor/1, spawn_monitor/3, spawn_opt/2, spawn_opt/4,
         process_info/1, process_info/2]).

spawn_monitor(F) when is_function(F, 0) ->
    Pid = spawn(F),
    {Pid, monitor(process, Pid)};
spawn_monitor(F) ->
    erlang:error(badarg, [F]).

spawn_monitor(M, F, A) when is_atom(M), is_atom(F), is_list(A) ->
    Pid = spawn(M, F, A),
    {Pid, monitor(process, Pid)};
spawn_monitor(M, F, A) ->
    erlang:error(badarg, [M, F, A]).

%% Options other than link and monitor (heap sizes, priority, ...) are
%% accepted and have no effect yet.
spawn_opt(F, Opts) when is_function(F, 0), is_list(Opts) ->
    Monitor = monitor_opt(Opts),
    Pid = case lists:member(link, Opts) of
              true -> spawn_link(F);
              false -> spawn(F)
          end,
    case Monitor of
        true -> {Pid, monitor(process, Pid)};
        false -> Pid
    end;
spawn_opt(F, Opts) ->
    erlang:error(badarg, [F, Opts]).

spawn_opt(M, F, A, Opts) when is_atom(M), is_atom(F), is_list(A), is_list(Opts) ->
    Monitor = monitor_opt(Opts),
    Pid = case lists:member(link, Opts) of
              true -> spawn_link(M, F, A);
              false -> spawn(M, F, A)
          end,
    case Monitor of
        true -> {Pid, monitor(process, Pid)};
        false -> Pid
    end;
spawn_opt(M, F, A, Opts) ->
    erlang:error(badarg, [M, F, A, Opts]).

monitor_opt([monitor | _]) -> true;
monitor_opt([{monitor, _} | _]) -> true;
monitor_opt([_ | T]) -> monitor_opt(T);
monitor_opt([]) -> false.

%% process_info/1: the items BEAM lists, those xbeam knows.
process_info(Pid) when is_pid(Pid) ->
    Items = process_info(Pid, [registered_name, current_function, initial_call, status,
                       message_queue_len, links, dictionary, trap_exit,
                       error_handler, priority, group_leader, total_heap_size,
                       heap_size, stack_size, reductions, garbage_collection,
                       suspending]),
    case Items of
        [{registered_name, []} | Rest] -> Rest;
        _ -> Items
    end;
process_info(Pid) ->
    erlang:error(badarg, [Pid]).

process_info(Pid, Items) when is_pid(Pid), is_list(Items) ->
    case is_process_alive(Pid) of
        false -> undefined;
        true -> [item(Pid, I) || I <- Items]
    end;
process_info(Pid, registered_name) when is_pid(Pid) ->
    case item(Pid, registered_name) of
        {registered_name, []} -> [];
        Other -> Other
    end;
process_info(Pid, Item) when is_pid(Pid), is_atom(Item); is_pid(Pid), is_tuple(Item) ->
    item(Pid, Item);
process_info(Pid, Item) ->
    erlang:error(badarg, [Pid, Item]).

%% One item: {Item, Value}, or undefined when the process is not alive.
%% Items xbeam does not track get the value BEAM gives a fresh process.
item(Pid, error_handler) -> alive(Pid, {error_handler, error_handler});
item(Pid, priority) -> alive(Pid, {priority, normal});
item(Pid, garbage_collection) -> alive(Pid, {garbage_collection, []});
item(Pid, garbage_collection_info) -> alive(Pid, {garbage_collection_info, []});
item(Pid, suspending) -> alive(Pid, {suspending, []});
item(Pid, current_stacktrace) -> alive(Pid, {current_stacktrace, []});
item(Pid, catchlevel) -> alive(Pid, {catchlevel, 0});
item(Pid, binary) -> alive(Pid, {binary, []});
item(Pid, last_calls) -> alive(Pid, {last_calls, false});
item(Pid, min_heap_size) -> alive(Pid, {min_heap_size, 233});
item(Pid, min_bin_vheap_size) -> alive(Pid, {min_bin_vheap_size, 46422});
item(Pid, message_queue_data) -> alive(Pid, {message_queue_data, on_heap});
item(Pid, sequential_trace_token) -> alive(Pid, {sequential_trace_token, []});
item(Pid, trace) -> alive(Pid, {trace, 0});
item(Pid, {dictionary, Key}) ->
    case item(Pid, dictionary) of
        {dictionary, D} ->
            {{dictionary, Key}, case lists:keyfind(Key, 1, D) of {_, V} -> V; false -> undefined end};
        undefined -> undefined
    end;
item(Pid, Item) -> xbeam:process_item(Pid, Item).

alive(Pid, Answer) ->
    case is_process_alive(Pid) of
        true -> Answer;
        false -> undefined
    end.
