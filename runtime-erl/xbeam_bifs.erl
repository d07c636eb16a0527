%% runtime-erl/xbeam_bifs.erl — BIFs of the erlang module that are natural
%% in Erlang, on top of the runtime's primitives (runtime-asm/).
%%
%% emitter/bifs.ts sends calls to erlang:F/A here.  Straight-line code
%% with no call to a local or external Erlang function cannot be
%% preempted (reductions are counted at function entries), so spawn then
%% monitor below is as atomic as BEAM's.
-module(xbeam_bifs).

%% Seconds from year 0 to 1970 in the proleptic Gregorian calendar.
-define(EPOCH_GREGORIAN_SECONDS, 62167219200).
%% Seconds in 400 Gregorian years (146,097 days): the calendar's period.
-define(GREGORIAN_CYCLE_SECONDS, 12622780800).
-compile({no_auto_import, [process_info/2, spawn_monitor/1, spawn_monitor/3, spawn_opt/2, spawn_opt/4, memory/1, statistics/1,
                             process_flag/2, nodes/0, nodes/1, nodes/2, spawn/2, spawn_link/2, make_tuple/3,
                             append_element/2, insert_element/3, delete_element/2, integer_to_binary/1, integer_to_binary/2,
                             binary_to_integer/1, binary_to_integer/2, split_binary/2,
                             convert_time_unit/3, universaltime/0, localtime/0, date/0, time/0, bump_reductions/1,
                             universaltime_to_localtime/1, localtime_to_universaltime/1, localtime_to_universaltime/2,
                             universaltime_to_posixtime/1, posixtime_to_universaltime/1,
                             unique_integer/1, garbage_collect/1, garbage_collect/2, get_module_info/1,
                             get_module_info/2, system_info/1, system_flag/2,
                             atom_to_binary/1, atom_to_binary/2, binary_to_atom/1, binary_to_atom/2,
                             binary_to_existing_atom/1, binary_to_existing_atom/2]}).
-export([spawn_monitor/1, spawn_monitor/3, spawn_opt/2, spawn_opt/4,
         process_info/1, process_info/2, memory/0, memory/1, statistics/1,
         process_flag/2]).
-export([bitstring_to_list/1, list_to_bitstring/1, string_list_to_integer/1]).
-export([getenv/0, getenv/1, getenv/2, get_arguments/0, get_argument/1, get_plain_arguments/0]).
-export([atom_to_binary/1, atom_to_binary/2, binary_to_atom/1, binary_to_atom/2,
         binary_to_existing_atom/1, binary_to_existing_atom/2,
         get_internal_state/1, set_internal_state/2, term_type/1]).
-export([ensure_modules_loaded/1, system_info/1, system_flag/2, nodes/0, nodes/1, nodes/2, spawn/2, spawn_link/2,
         make_tuple/3, append_element/2, insert_element/3, delete_element/2,
         integer_to_binary/1, integer_to_binary/2, binary_to_integer/1, binary_to_integer/2,
         split_binary/2, convert_time_unit/3,
         universaltime/0, localtime/0, date/0, time/0, bump_reductions/1, unique_integer/1,
         garbage_collect/1, garbage_collect/2, get_module_info/1, get_module_info/2]).
-export([universaltime_to_localtime/1, localtime_to_universaltime/1, localtime_to_universaltime/2,
         universaltime_to_posixtime/1, posixtime_to_universaltime/1]).
%% The maps module's BIFs (maps.erl has only stubs for them).
-export([maps_get/2, maps_find/2, maps_put/3, maps_update/3, maps_remove/2,
         maps_is_key/2, maps_take/2, maps_from_keys/2, maps_to_list/1, maps_from_list/1, maps_keys/1,
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
process_flag(min_heap_size, Words) when is_integer(Words), Words >= 0 -> 233;
process_flag(min_bin_vheap_size, Words) when is_integer(Words), Words >= 0 -> 46422;
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
item(Pid, current_stacktrace) when Pid =:= self() -> {current_stacktrace, here()};
item(Pid, current_location) when Pid =:= self() -> {current_location, hd(here())};
item(Pid, current_function) when Pid =:= self() ->
    {M, F, A, _} = hd(here()),
    {current_function, {M, F, A}};
item(Pid, current_stacktrace) -> alive(Pid, {current_stacktrace, []});
item(Pid, catchlevel) -> alive(Pid, {catchlevel, 0});
item(Pid, binary) ->
    case is_process_alive(Pid) of
        true ->
            {binary, [{Id, Room, Refc} || <<Id:32/little, Room:32/little, Refc:32/little>> <= xbeam:mso_info(Pid)]};
        false -> undefined
    end;
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

%% The running process's stack trace from the caller of process_info.
here() ->
    try erlang:error(here)
    catch error:here:Stack ->
        case Stack of
            [{erlang, process_info, _, _} | Rest] -> Rest;
            _ -> Stack
        end
    end.

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
        true -> maps_from_list([KV || {K, _} = KV <- xbeam_maps:sorted(Map), K =/= Key]);
        false -> Map
    end;
maps_remove(Key, Map) ->
    erlang:error({badmap, Map}, [Key, Map]).

maps_is_key(Key, Map) -> is_map_key(Key, Map).

maps_take(Key, Map) when is_map(Map) ->
    case Map of
        #{Key := Value} -> {Value, maps_remove(Key, Map)};
        #{} -> error
    end;
maps_take(Key, Map) -> erlang:error({badmap, Map}, [Key, Map]).

%% maps:from_keys(Keys, Value): badarg for anything but a proper list.
maps_from_keys(Keys, Value) ->
    try xbeam:map_from_list([{K, Value} || K <- Keys]) of
        Map when is_map(Map) -> Map
    catch error:_ -> erlang:error(badarg, [Keys, Value])
    end.

maps_to_list(Map) when is_map(Map) -> xbeam_maps:to_list(Map);
maps_to_list(Map) -> erlang:error({badmap, Map}, [Map]).

maps_from_list(List) ->
    case xbeam:map_from_list(List) of
        Map when is_map(Map) -> Map;
        badarg -> erlang:error(badarg, [List])
    end.


maps_keys(Map) when is_map(Map) -> xbeam_maps:keys(Map);
maps_keys(Map) -> erlang:error({badmap, Map}, [Map]).

maps_values(Map) when is_map(Map) -> xbeam_maps:values(Map);
maps_values(Map) -> erlang:error({badmap, Map}, [Map]).

maps_merge(A, B) when is_map(A), is_map(B) -> xbeam:map_from_list(xbeam_maps:sorted(A) ++ xbeam_maps:sorted(B));
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
statistics(runtime) -> {xbeam:cpu_time(millisecond), 0};
statistics(reductions) ->
    Total = lists:sum([R || P <- processes(), {reductions, R} <- [process_info(P, reductions)]]),
    {Total, 0};
statistics(Item) -> erlang:error(badarg, [Item]).

%% --- atoms as binaries ---

atom_to_binary(A) -> atom_to_binary(A, utf8).

atom_to_binary(A, Enc) when is_atom(A), Enc =:= utf8; is_atom(A), Enc =:= unicode ->
    << <<C/utf8>> || C <- atom_to_list(A) >>;
atom_to_binary(A, latin1) when is_atom(A) ->
    case [C || C <- atom_to_list(A), C > 255] of
        [] -> list_to_binary(atom_to_list(A));
        _ -> erlang:error(badarg, [A, latin1])
    end;
atom_to_binary(A, Enc) -> erlang:error(badarg, [A, Enc]).

binary_to_atom(B) -> binary_to_atom(B, utf8).

binary_to_atom(B, Enc) when is_binary(B) ->
    case atom_chars(B, Enc) of
        {ok, Chars} -> list_to_atom(Chars);
        error -> erlang:error(badarg, [B, Enc])
    end;
binary_to_atom(B, Enc) -> erlang:error(badarg, [B, Enc]).

binary_to_existing_atom(B) -> binary_to_existing_atom(B, utf8).

binary_to_existing_atom(B, Enc) when is_binary(B) ->
    case atom_chars(B, Enc) of
        {ok, Chars} -> try list_to_existing_atom(Chars) catch error:badarg -> erlang:error(badarg, [B, Enc]) end;
        error -> erlang:error(badarg, [B, Enc])
    end;
binary_to_existing_atom(B, Enc) -> erlang:error(badarg, [B, Enc]).

atom_chars(B, latin1) -> {ok, binary_to_list(B)};
atom_chars(B, utf8) -> utf8_chars(B, []);
atom_chars(B, unicode) -> utf8_chars(B, []);
atom_chars(_, _) -> error.

utf8_chars(<<C/utf8, Rest/binary>>, Acc) -> utf8_chars(Rest, [C | Acc]);
utf8_chars(<<>>, Acc) -> {ok, lists:reverse(Acc)};
utf8_chars(_, _) -> error.

%% --- erts_internal:term_type/1: how a term is stored, in BEAM's words ---

term_type(T) when is_integer(T), T >= -(1 bsl 27), T < 1 bsl 27 -> fixnum;
term_type(T) when is_integer(T) -> bignum;
term_type(T) when is_float(T) -> hfloat;
term_type(T) when is_atom(T) -> atom;
term_type([]) -> nil;
term_type(T) when is_list(T) -> list;
term_type(T) when is_tuple(T) -> tuple;
term_type(T) when is_map(T), map_size(T) =< 32 -> flatmap;
term_type(T) when is_map(T) -> hashmap;
term_type(T) when is_binary(T) -> heap_binary;
term_type(T) when is_bitstring(T) -> sub_binary;
term_type(T) when is_function(T) ->
    case erlang:fun_info(T, type) of
        {type, local} -> 'fun';
        {type, external} -> export
    end;
term_type(T) when is_pid(T) -> pid;
term_type(T) when is_port(T) -> port;
term_type(T) when is_reference(T) -> reference.

%% --- erts_debug's internal state: what the suites ask for ---

get_internal_state(reds_left) -> xbeam:reds_left();
get_internal_state({binary_info, B}) when is_bitstring(B) ->
    case xbeam:procbin_info(B) of
        <<>> -> heap_binary;
        <<Bytes:32/little, Room:32/little, Flags:32/little, _/binary>> ->
            {refc_binary, Bytes, {binary, Room}, Flags}
    end;
get_internal_state(Item) -> erlang:error(undef, [Item]).

set_internal_state(available_internal_state, Bool) when is_boolean(Bool) -> true;
set_internal_state(reds_left, N) when is_integer(N), N >= 0 -> xbeam:set_reds_left(min(N, 1 bsl 26));
set_internal_state(Item, Value) -> erlang:error(undef, [Item, Value]).

%% --- erlang:system_flag/2 ---

%% The flags an image has: backtrace_depth (BEAM caps it at 64).
system_flag(backtrace_depth, Depth) when is_integer(Depth), Depth >= 0 ->
    xbeam:backtrace_depth(min(Depth, 64));
system_flag(Flag, Value) -> erlang:error(badarg, [Flag, Value]).

%% --- erlang:system_info/1 ---

%% What a 32-bit, single-scheduler OTP 25.2.3 node says, where the suites
%% and OTP's own code ask.  Anything else is badarg, as for an unknown item.
system_info(wordsize) -> 4;
system_info({wordsize, internal}) -> 4;
system_info({wordsize, external}) -> 4;
system_info(otp_release) -> "25";
system_info(version) -> "13.1.5";
system_info(system_version) ->
    "Erlang/OTP 25 [erts-13.1.5] [xbeam] [32-bit] [smp:1:1] [ds:1:1:0] [async-threads:0]\n";
system_info(system_architecture) -> "i686-pc-xbeam";
system_info(machine) -> "BEAM";
system_info(emu_type) -> opt;
system_info(emu_flavor) -> emu;
system_info(build_type) -> opt;
system_info(debug_compiled) -> false;
system_info(lock_checking) -> false;
system_info(modified_timing_level) -> undefined;
system_info(schedulers) -> 1;
system_info(schedulers_online) -> 1;
system_info(dirty_cpu_schedulers) -> 0;
system_info(dirty_cpu_schedulers_online) -> 0;
system_info(dirty_io_schedulers) -> 0;
system_info(logical_processors) -> 1;
system_info(logical_processors_available) -> 1;
system_info(logical_processors_online) -> 1;
system_info(multi_scheduling) -> disabled;
system_info(smp_support) -> true;
system_info(threads) -> false;
system_info(thread_pool_size) -> 0;
system_info(kernel_poll) -> false;
system_info(context_reductions) -> 4000;
system_info(heap_type) -> private;
system_info(os_type) -> {unix, xbeam};
system_info(os_version) -> {0, 1, 0};
system_info(hipe_architecture) -> undefined;
system_info(snifs) -> [];
system_info(process_count) -> length(processes());
system_info(process_limit) -> 262144;
system_info(port_count) -> 0;
system_info(port_limit) -> 65536;
system_info(atom_limit) -> 1048576;
system_info(ets_limit) -> 8192;
system_info(backtrace_depth) ->
    Depth = xbeam:backtrace_depth(0),
    xbeam:backtrace_depth(Depth),
    Depth;
system_info(creation) -> 0;
system_info(delayed_node_table_gc) -> 0;
system_info(dist_ctrl) -> [];
system_info(end_time) -> 134217727;
system_info(start_time) -> 0;
system_info(min_heap_size) -> {min_heap_size, 233};
system_info(min_bin_vheap_size) -> {min_bin_vheap_size, 46422};
system_info(fullsweep_after) -> {fullsweep_after, 65535};
system_info(max_heap_size) -> {max_heap_size, #{size => 0, kill => true, error_logger => true, include_shared_binaries => false}};
system_info(time_correction) -> true;
system_info(time_warp_mode) -> no_time_warp;
system_info(os_monotonic_time_source) -> [{function, clock_gettime}, {clock_id, 'CLOCK_MONOTONIC'}, {resolution, 1000000000}];
system_info(os_system_time_source) -> [{function, clock_gettime}, {clock_id, 'CLOCK_REALTIME'}, {resolution, 1000000000}];
system_info(scheduler_bind_type) -> unbound;
system_info(cpu_topology) -> undefined;
system_info(trace_control_word) -> 0;
system_info(check_io) -> [];
system_info(outstanding_system_requests_limit) -> 1;
system_info(Item) -> erlang:error(badarg, [Item]).

%% --- nodes: an image is one node (ports: xbeam_port.erl) ---

nodes() -> [].
nodes(Arg) when is_atom(Arg); is_list(Arg) -> [];
nodes(Arg) -> erlang:error(badarg, [Arg]).

nodes(Arg, Opts) when (is_atom(Arg) orelse is_list(Arg)), is_map(Opts) -> [];
nodes(Arg, Opts) -> erlang:error(badarg, [Arg, Opts]).

spawn(Node, F) when Node =:= node() -> spawn(F);
spawn(Node, F) when is_atom(Node), is_function(F, 0) -> spawn(fun() -> exit(noconnection) end);
spawn(Node, F) -> erlang:error(badarg, [Node, F]).

spawn_link(Node, F) when Node =:= node() -> spawn_link(F);
spawn_link(Node, F) when is_atom(Node), is_function(F, 0) -> spawn_link(fun() -> exit(noconnection) end);
spawn_link(Node, F) -> erlang:error(badarg, [Node, F]).

%% --- lists and tuples ---

make_tuple(N, Default, Init) when is_integer(N), N >= 0, is_list(Init) ->
    T0 = try erlang:make_tuple(N, Default)
         catch error:_ -> erlang:error(badarg, [N, Default, Init])
         end,
    try lists:foldl(fun({I, V}, T) -> setelement(I, T, V) end, T0, Init)
    catch error:_ -> erlang:error(badarg, [N, Default, Init])
    end;
make_tuple(N, Default, Init) -> erlang:error(badarg, [N, Default, Init]).

append_element(T, X) when is_tuple(T) -> list_to_tuple(tuple_to_list(T) ++ [X]);
append_element(T, X) -> erlang:error(badarg, [T, X]).

insert_element(I, T, X) when is_integer(I), is_tuple(T), I >= 1, I =< tuple_size(T) + 1 ->
    {Before, After} = lists:split(I - 1, tuple_to_list(T)),
    list_to_tuple(Before ++ [X | After]);
insert_element(I, T, X) -> erlang:error(badarg, [I, T, X]).

delete_element(I, T) when is_integer(I), is_tuple(T), I >= 1, I =< tuple_size(T) ->
    {Before, [_ | After]} = lists:split(I - 1, tuple_to_list(T)),
    list_to_tuple(Before ++ After);
delete_element(I, T) -> erlang:error(badarg, [I, T]).

%% --- integers and binaries ---

integer_to_binary(I) when is_integer(I) -> list_to_binary(integer_to_list(I));
integer_to_binary(I) -> erlang:error(badarg, [I]).

integer_to_binary(I, Base) when is_integer(I), is_integer(Base), Base >= 2, Base =< 36 ->
    list_to_binary(integer_to_list(I, Base));
integer_to_binary(I, Base) -> erlang:error(badarg, [I, Base]).

binary_to_integer(B) when is_binary(B) ->
    try list_to_integer(binary_to_list(B))
    catch error:_ -> erlang:error(badarg, [B])
    end;
binary_to_integer(B) -> erlang:error(badarg, [B]).

binary_to_integer(B, Base) when is_binary(B) ->
    try list_to_integer(binary_to_list(B), Base)
    catch error:_ -> erlang:error(badarg, [B, Base])
    end;
binary_to_integer(B, Base) -> erlang:error(badarg, [B, Base]).

%% split_binary/2, with the binary_part guard BIF (runtime-asm/bits.asm):
%% a part of more than 64 bytes of a reference-counted binary shares its
%% bytes, a shorter one is a heap copy.
split_binary(Bin, N) when is_binary(Bin), is_integer(N), N >= 0, N =< byte_size(Bin) ->
    {erlang:binary_part(Bin, 0, N), erlang:binary_part(Bin, N, byte_size(Bin) - N)};
split_binary(Bin, N) -> erlang:error(badarg, [Bin, N]).

%% --- time ---

convert_time_unit(Time, From, To) when is_integer(Time) ->
    FromHz = unit_hz(From, [Time, From, To]),
    ToHz = unit_hz(To, [Time, From, To]),
    %% Rounds toward negative infinity, as BEAM does.
    Num = Time * ToHz,
    if Num >= 0 -> Num div FromHz;
       true -> -((-Num + FromHz - 1) div FromHz)
    end;
convert_time_unit(Time, From, To) -> erlang:error(badarg, [Time, From, To]).

unit_hz(second, _) -> 1;
unit_hz(seconds, _) -> 1;
unit_hz(millisecond, _) -> 1000;
unit_hz(milli_seconds, _) -> 1000;
unit_hz(microsecond, _) -> 1000000;
unit_hz(micro_seconds, _) -> 1000000;
unit_hz(nanosecond, _) -> 1000000000;
unit_hz(nano_seconds, _) -> 1000000000;
unit_hz(native, _) -> 1000000000;
unit_hz(perf_counter, _) -> 1000000000;
unit_hz(N, _) when is_integer(N), N > 0 -> N;
unit_hz(_, Args) -> erlang:error(badarg, Args).

%% The clock is UTC: an image has no time zone.
universaltime() -> calendar:system_time_to_universal_time(erlang:system_time(second), second).
localtime() -> universaltime().
date() -> element(1, universaltime()).
time() -> element(2, universaltime()).

%% An image has no time zone: local time is UTC, as erl's with TZ unset.
%% The date-time is checked as BEAM checks it (a valid calendar date of a
%% year from 1, a time of day without leap seconds); a daylight-saving
%% local time (IsDst = true) is an hour ahead of UTC, as mktime(3) takes it.
universaltime_to_localtime(DateTime) ->
    valid_datetime(DateTime, [DateTime]).

localtime_to_universaltime(DateTime) ->
    valid_datetime(DateTime, [DateTime]).

localtime_to_universaltime(DateTime, true) ->
    Secs = calendar:datetime_to_gregorian_seconds(valid_datetime(DateTime, [DateTime, true])),
    calendar:gregorian_seconds_to_datetime(Secs - 3600);
localtime_to_universaltime(DateTime, IsDst) when IsDst =:= false; IsDst =:= undefined ->
    valid_datetime(DateTime, [DateTime, IsDst]);
localtime_to_universaltime(DateTime, IsDst) ->
    erlang:error(badarg, [DateTime, IsDst]).

universaltime_to_posixtime(DateTime) ->
    calendar:datetime_to_gregorian_seconds(valid_datetime(DateTime, [DateTime])) - ?EPOCH_GREGORIAN_SECONDS.

%% (Before 0000-03-01 this is the proleptic Gregorian calendar, in which
%% year 0 is a leap year; BEAM's own arithmetic gives other dates there.)
posixtime_to_universaltime(Secs) when is_integer(Secs) ->
    G = Secs + ?EPOCH_GREGORIAN_SECONDS,
    if G >= 0 ->
            calendar:gregorian_seconds_to_datetime(G);
       true ->
            Cycles = (-G) div ?GREGORIAN_CYCLE_SECONDS + 1,
            {{Y, Mo, D}, Time} = calendar:gregorian_seconds_to_datetime(G + Cycles * ?GREGORIAN_CYCLE_SECONDS),
            {{Y - 400 * Cycles, Mo, D}, Time}
    end;
posixtime_to_universaltime(Secs) ->
    erlang:error(badarg, [Secs]).

valid_datetime({{Y, Mo, D}, {H, Mi, S}} = DateTime, Args)
  when is_integer(Y), Y >= 1, is_integer(Mo), is_integer(D),
       is_integer(H), H >= 0, H < 24, is_integer(Mi), Mi >= 0, Mi < 60,
       is_integer(S), S >= 0, S < 60 ->
    case calendar:valid_date(Y, Mo, D) of
        true -> DateTime;
        false -> erlang:error(badarg, Args)
    end;
valid_datetime(_, Args) ->
    erlang:error(badarg, Args).

%% --- processes ---

bump_reductions(N) when is_integer(N), N >= 0 -> true;
bump_reductions(N) -> erlang:error(badarg, [N]).

unique_integer(Opts) when is_list(Opts) ->
    case lists:all(fun(O) -> O =:= positive orelse O =:= monotonic end, Opts) of
        true -> xbeam:unique_integer();
        false -> erlang:error(badarg, [Opts])
    end;
unique_integer(Opts) -> erlang:error(badarg, [Opts]).

garbage_collect(Pid) when is_pid(Pid) ->
    if Pid =:= self() -> garbage_collect();
       true -> xbeam:gc_process(Pid)
    end;
garbage_collect(Pid) -> erlang:error(badarg, [Pid]).

garbage_collect(Pid, Opts) when is_pid(Pid), is_list(Opts) ->
    Result = garbage_collect(Pid),
    case lists:keyfind(async, 1, Opts) of
        {async, Ref} -> self() ! {garbage_collect, Ref, Result}, async;
        false -> Result
    end;
garbage_collect(Pid, Opts) -> erlang:error(badarg, [Pid, Opts]).

%% --- modules ---

get_module_info(M) when is_atom(M) ->
    [{Item, get_module_info(M, Item)} || Item <- [module, exports, attributes, compile, md5]];
get_module_info(M) -> erlang:error(badarg, [M]).

get_module_info(M, module) when is_atom(M) -> M;
get_module_info(M, exports) when is_atom(M) -> lists:reverse(xbeam:module_exports(M));
get_module_info(M, functions) when is_atom(M) -> lists:reverse(xbeam:module_exports(M));
get_module_info(M, attributes) when is_atom(M) -> [];
get_module_info(M, compile) when is_atom(M) -> [];
get_module_info(M, md5) when is_atom(M) -> list_to_binary(lists:duplicate(16, 0));
get_module_info(M, nifs) when is_atom(M) -> [];
get_module_info(M, native) when is_atom(M) -> false;
get_module_info(M, Item) -> erlang:error(badarg, [M, Item]).

%% code:ensure_modules_loaded/1: every module of an image is loaded.
ensure_modules_loaded(Modules) when is_list(Modules) -> ok;
ensure_modules_loaded(Modules) -> erlang:error(badarg, [Modules]).

%% --- bitstrings ---

%% The bytes, then the last bits (if any) as a bitstring.
bitstring_to_list(B) when is_bitstring(B) -> bits_to_list(B);
bitstring_to_list(B) -> erlang:error(badarg, [B]).

bits_to_list(<<X, Rest/bitstring>>) -> [X | bits_to_list(Rest)];
bits_to_list(<<>>) -> [];
bits_to_list(Rest) -> [Rest].

%% An iolist whose binaries may be bitstrings (and may end in one).
list_to_bitstring(L) when is_list(L) ->
    case xbeam:iolist_to_bin(L, true) of   % no bitstrings in it: the fast way
        B when is_binary(B) -> B;
        _ ->
            try bits_of(L, <<>>)
            catch error:_ -> erlang:error(badarg, [L])
            end
    end;
list_to_bitstring(L) -> erlang:error(badarg, [L]).

%% (Linear: the pieces are made first, runs of bytes as binaries, and a
%% comprehension's accumulator grows in place while nothing else is
%% allocated; an append per element, <<Acc/bitstring, H>>, would copy
%% Acc each time.)
bits_of(L, <<>>) ->
    << <<P/bitstring>> || P <- pieces(L, [], [], []) >>.

%% pieces(List, Stack, Run, Acc): Stack the tails of the lists entered,
%% Run the bytes since the last bitstring (last first), Acc the pieces
%% (last first); badarg (a function clause) for what is not iodata.
pieces([], [], Run, Acc) -> lists:reverse(run(Run, Acc));
pieces([], [T | Stack], Run, Acc) -> pieces(T, Stack, Run, Acc);
pieces([H | T], Stack, Run, Acc) when is_integer(H), H >= 0, H =< 255 -> pieces(T, Stack, [H | Run], Acc);
pieces([H | T], Stack, Run, Acc) when is_bitstring(H) -> pieces(T, Stack, [], [H | run(Run, Acc)]);
pieces([H | T], Stack, Run, Acc) when is_list(H) -> pieces(H, [T | Stack], Run, Acc);
pieces(B, Stack, Run, Acc) when is_bitstring(B) -> pieces([], Stack, [], [B | run(Run, Acc)]).

run([], Acc) -> Acc;
run(Run, Acc) -> [list_to_binary(lists:reverse(Run)) | Acc].

%% string:list_to_integer/1 (a BIF in BEAM): the integer at the start of a
%% string and the rest, or {error, no_integer} / {error, not_a_list}.
string_list_to_integer(L) when is_list(L) ->
    {Sign, Digits} = case L of
                         [$- | R] -> {-1, R};
                         [$+ | R] -> {1, R};
                         _ -> {1, L}
                     end,
    case lists:splitwith(fun(C) -> is_integer(C) andalso C >= $0 andalso C =< $9 end, Digits) of
        {[], _} -> {error, no_integer};
        {Ds, Rest} -> {Sign * list_to_integer(Ds), Rest}
    end;
string_list_to_integer(_) -> {error, not_a_list}.

%% --- os and init: an image has no environment variables (os:getenv/0,1,2
%% are BIFs in BEAM).  init's arguments come from the image's command line
%% (xbeam:cmdline/0: the PVH start info's, or argv on linux), split at
%% spaces: a word "-Flag" and the words after it up to the next such word
%% are an argument {Flag, Values}; words before the first flag, and all
%% after "-extra", are plain arguments, as erl has them.
getenv() -> [].
getenv(Name) when is_list(Name); is_atom(Name); is_binary(Name) -> false;
getenv(Name) -> erlang:error(badarg, [Name]).
getenv(Name, Default) when is_list(Name) -> Default;
getenv(Name, Default) -> erlang:error(badarg, [Name, Default]).

get_arguments() -> element(1, cmdline_arguments()).
get_argument(Flag) ->
    case [Values || {F, Values} <- get_arguments(), F =:= Flag] of
        [] -> error;
        All -> {ok, All}
    end.
get_plain_arguments() -> element(2, cmdline_arguments()).

cmdline_arguments() ->
    Words = string:lexemes(binary_to_list(xbeam:cmdline()), " "),
    cmdline_arguments(Words, [], []).

cmdline_arguments([], Flags, Plain) ->
    {lists:reverse(Flags), lists:reverse(Plain)};
cmdline_arguments(["-extra" | Rest], Flags, Plain) ->
    {lists:reverse(Flags), lists:reverse(Plain, Rest)};
cmdline_arguments(["-" ++ Flag | Rest], Flags, Plain) when Flag =/= "" ->
    {Values, Rest1} = lists:splitwith(fun([C | _]) -> C =/= $- end, Rest),
    cmdline_arguments(Rest1, [{list_to_atom(Flag), Values} | Flags], Plain);
cmdline_arguments([Word | Rest], Flags, Plain) ->
    cmdline_arguments(Rest, Flags, [Word | Plain]).
