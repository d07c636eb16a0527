%% runtime-erl/xbeam_bifs.erl — BIFs of the erlang module that are natural
%% in Erlang, on top of the runtime's primitives (runtime-asm/).
%%
%% emitter/bifs.ts sends calls to erlang:F/A here.  Straight-line code
%% with no call to a local or external Erlang function cannot be
%% preempted (reductions are counted at function entries), so spawn then
%% monitor below is as atomic as BEAM's.
-module(xbeam_bifs).
-compile({no_auto_import, [process_info/2, spawn_monitor/1, spawn_monitor/3, spawn_opt/2, spawn_opt/4, memory/1, statistics/1,
                             process_flag/2]}).
-export([spawn_monitor/1, spawn_monitor/3, spawn_opt/2, spawn_opt/4,
         process_info/1, process_info/2, memory/0, memory/1, statistics/1,
         process_flag/2]).
%% The maps module's BIFs (maps.erl has only stubs for them).
-export([maps_get/2, maps_find/2, maps_put/3, maps_update/3, maps_remove/2,
         maps_is_key/2, maps_to_list/1, maps_from_list/1, maps_keys/1,
         maps_values/1, maps_merge/2]).

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

%% Options other than link, monitor, max_heap_size and min_heap_size
%% (priority, fullsweep_after, ...) are accepted and have no effect yet.  The options are
%% read first: from the spawn on, only BIFs run, so the new process cannot
%% run before its limit and the monitor are in place.
spawn_opt(F, Opts) when is_function(F, 0), is_list(Opts) ->
    {Link, Monitor, Max, Min} = options(Opts),
    Pid = if Link -> spawn_link(F); true -> spawn(F) end,
    xbeam:set_max_heap(Pid, Max),
    xbeam:reserve_heap(Pid, Min),
    if Monitor -> {Pid, monitor(process, Pid)}; true -> Pid end;
spawn_opt(F, Opts) ->
    erlang:error(badarg, [F, Opts]).

spawn_opt(M, F, A, Opts) when is_atom(M), is_atom(F), is_list(A), is_list(Opts) ->
    {Link, Monitor, Max, Min} = options(Opts),
    Pid = if Link -> spawn_link(M, F, A); true -> spawn(M, F, A) end,
    xbeam:set_max_heap(Pid, Max),
    xbeam:reserve_heap(Pid, Min),
    if Monitor -> {Pid, monitor(process, Pid)}; true -> Pid end;
spawn_opt(M, F, A, Opts) ->
    erlang:error(badarg, [M, F, A, Opts]).

options(Opts) ->
    Max = case lists:keyfind(max_heap_size, 1, Opts) of
              {max_heap_size, M} -> max_heap_words(M);
              false -> 0
          end,
    Min = case lists:keyfind(min_heap_size, 1, Opts) of
              {min_heap_size, N} when is_integer(N), N >= 0 -> N;
              {min_heap_size, Other} -> erlang:error(badarg, [{min_heap_size, Other}]);
              false -> 0
          end,
    {lists:member(link, Opts), monitor_opt(Opts), Max, Min}.

max_heap_words(#{size := Size}) when is_integer(Size), Size >= 0 -> Size;
max_heap_words(Size) when is_integer(Size), Size >= 0 -> Size;
max_heap_words(Other) -> erlang:error(badarg, [{max_heap_size, Other}]).

%% process_flag(max_heap_size, Max) here; the rest in the runtime.  The
%% process is killed when its heap would outgrow Max words (kill => true;
%% the report goes to stderr whatever error_logger says).
process_flag(max_heap_size, Max) ->
    Old = xbeam:set_max_heap(self(), max_heap_words(Max)),
    #{size => Old, kill => true, error_logger => true};
process_flag(Flag, Value) ->
    xbeam:process_flag(Flag, Value).

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

%% ---------------------------------------------------------------------------
%% maps.  Flat maps keep their keys in term order, which is the order
%% maps:next/1 (erts_internal:map_next/3) walks them.

maps_get(Key, Map) -> map_get(Key, Map).

maps_find(Key, Map) when is_map(Map) ->
    case Map of
        #{Key := Value} -> {ok, Value};
        #{} -> error
    end;
maps_find(Key, Map) ->
    erlang:error({badmap, Map}, [Key, Map]).

maps_put(Key, Value, Map) when is_map(Map) -> Map#{Key => Value};
maps_put(Key, Value, Map) -> erlang:error({badmap, Map}, [Key, Value, Map]).

maps_update(Key, Value, Map) when is_map(Map) ->
    case is_map_key(Key, Map) of
        true -> Map#{Key := Value};
        false -> erlang:error({badkey, Key}, [Key, Value, Map])
    end;
maps_update(Key, Value, Map) ->
    erlang:error({badmap, Map}, [Key, Value, Map]).

maps_remove(Key, Map) when is_map(Map) ->
    case is_map_key(Key, Map) of
        true -> maps_from_list([KV || {K, _} = KV <- maps_to_list(Map), K =/= Key]);
        false -> Map
    end;
maps_remove(Key, Map) ->
    erlang:error({badmap, Map}, [Key, Map]).

maps_is_key(Key, Map) -> is_map_key(Key, Map).

maps_to_list(Map) when is_map(Map) -> to_list(erts_internal:map_next(0, Map, iterator), []);
maps_to_list(Map) -> erlang:error({badmap, Map}, [Map]).

to_list(none, Acc) -> lists:reverse(Acc);
to_list({K, V, [I | Map]}, Acc) -> to_list(erts_internal:map_next(I, Map, iterator), [{K, V} | Acc]).

maps_from_list(List) when is_list(List) -> from_list(List, #{});
maps_from_list(List) -> erlang:error(badarg, [List]).

from_list([{K, V} | T], Map) -> from_list(T, Map#{K => V});
from_list([], Map) -> Map;
from_list(_, _) -> erlang:error(badarg).

maps_keys(Map) when is_map(Map) -> [K || {K, _} <- maps_to_list(Map)];
maps_keys(Map) -> erlang:error({badmap, Map}, [Map]).

maps_values(Map) when is_map(Map) -> [V || {_, V} <- maps_to_list(Map)];
maps_values(Map) -> erlang:error({badmap, Map}, [Map]).

maps_merge(A, B) when is_map(A), is_map(B) -> from_list(maps_to_list(B), A);
maps_merge(A, B) -> erlang:error({badmap, if is_map(A) -> B; true -> A end}, [A, B]).

%% ---------------------------------------------------------------------------
%% erlang:memory/0,1: what xbeam can count (the other types of BEAM's
%% list raise badarg).
memory() ->
    [{total, memory(total)}, {processes, memory(processes)},
     {processes_used, memory(processes_used)}].

memory(Types) when is_list(Types) -> [{T, memory(T)} || T <- Types];
memory(Type) -> xbeam:memory_item(Type).

%% erlang:statistics/1: what xbeam counts.
statistics(garbage_collection) -> xbeam:gc_stats();
statistics(wall_clock) -> {erlang:monotonic_time(millisecond), 0};
statistics(runtime) -> {erlang:monotonic_time(millisecond), 0};
statistics(reductions) ->
    Total = lists:sum([R || P <- processes(), {reductions, R} <- [process_info(P, reductions)]]),
    {Total, 0};
statistics(Item) -> erlang:error(badarg, [Item]).
