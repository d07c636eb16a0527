%% runtime-erl/xbeam_port.erl — ports.
%%
%% An image has no operating system, so of BEAM's drivers only the one
%% that needs none is here: the "vanilla" driver, which open_port/2 picks
%% when the port's name is an atom or a string, and which opens that file
%% (BEAM's sys_drivers.c: `out` alone creates or truncates it, `in` alone
%% reads it, both or neither opens it for both).  The file is one of the
%% image's (runtime-erl/xbeam_file.erl: files written live in memory).
%% What is written with port_command/2,3 is in the file when the call
%% returns; a port opened for reading sends the file's bytes to its
%% owner as {Port, {data, Bytes}}, then {Port, eof} (option eof; the port
%% stays open) or closes.  {spawn, _}, {spawn_executable, _}, {spawn_driver, _} and
%% {fd, _, _} raise enotsup: there is nothing to spawn.
%%
%% A port is a process that owns the file, and a port term
%% (#Port<0.N>, N from 1 up; #Port<0.0> is the console's, which is always
%% there, as BEAM always has some).  One registered process
%% (xbeam_ports, started by the first open_port) maps numbers to port
%% processes; a port closes when port_close/1 is called or its owner ends.
%% Not here: sending to a port with `!` (badarg), links between ports and
%% processes (the owner is monitored), port_control/3 and port_call/3
%% (badarg, as for a driver that has none).
-module(xbeam_port).
-compile({no_auto_import, [open_port/2, port_command/2, port_command/3, port_close/1, port_connect/2,
                            port_info/1, port_info/2, ports/0, port_control/3, port_call/3]}).
-export([open_port/2, port_command/2, port_command/3, port_close/1,
         port_connect/2, port_info/1, port_info/2, ports/0,
         port_control/3, port_call/3]).

-define(CONSOLE, 0).

%% --- the BIFs ---

open_port(Name, Opts) ->
    case vanilla_name(Name) of
        {ok, File} ->
            Mode = check_options(Name, Opts),
            case table({open, self(), File, Mode, Opts}) of
                {ok, Port} -> Port;
                {error, Reason} -> erlang:error(Reason, [Name, Opts])
            end;
        error ->
            check_options(Name, Opts),
            case Name of
                {spawn, C} when is_list(C); is_atom(C); is_binary(C) -> erlang:error(enotsup, [Name, Opts]);
                {spawn_executable, C} when is_list(C); is_atom(C); is_binary(C) -> erlang:error(enotsup, [Name, Opts]);
                {spawn_driver, C} when is_list(C); is_atom(C); is_binary(C) -> erlang:error(enotsup, [Name, Opts]);
                {fd, In, Out} when is_integer(In), In >= 0, is_integer(Out), Out >= 0 -> erlang:error(enotsup, [Name, Opts]);
                _ -> erlang:error(badarg, [Name, Opts])
            end
    end.

port_command(Port, Data) ->
    command(Port, Data, [Port, Data]),
    true.

%% (force: notsup, as the vanilla driver cannot take output that would
%% make the port busy.)
port_command(Port, Data, Opts) ->
    case is_list(Opts) andalso lists:all(fun(O) -> O =:= force orelse O =:= nosuspend end, Opts) of
        true ->
            case lists:member(force, Opts) of
                true -> resolve(Port, [Port, Data, Opts]), erlang:error(notsup, [Port, Data, Opts]);
                false -> command(Port, Data, [Port, Data, Opts]), true
            end;
        false -> erlang:error(badarg, [Port, Data, Opts])
    end.

port_close(Port) ->
    case call(Port, close) of
        ok -> true;
        _ -> erlang:error(badarg, [Port])
    end.

port_connect(Port, Pid) when is_pid(Pid) ->
    case call(Port, {connect, Pid}) of
        ok -> true;
        _ -> erlang:error(badarg, [Port, Pid])
    end;
port_connect(Port, Pid) -> erlang:error(badarg, [Port, Pid]).

port_info(Port) ->
    case info(resolve(Port, [Port])) of
        undefined -> undefined;
        Info -> [I || I <- Info, lists:member(element(1, I), [name, links, id, connected, input, output, os_pid])]
    end.

port_info(Port, Item) ->
    case info(resolve(Port, [Port, Item])) of
        undefined -> undefined;
        Info ->
            case lists:keyfind(Item, 1, Info) of
                false -> erlang:error(badarg, [Port, Item]);
                Found -> Found
            end
    end.

ports() ->
    [console() | case whereis(xbeam_ports) of
                     undefined -> [];
                     _ -> table(ports)
                 end].

port_control(Port, Op, Data) -> erlang:error(badarg, [Port, Op, Data]).

port_call(Port, Op, Data) -> erlang:error(badarg, [Port, Op, Data]).

%% --- arguments ---

vanilla_name(Name) when is_atom(Name) -> {ok, atom_to_list(Name)};
vanilla_name(Name) when is_list(Name) ->
    case io_lib:printable_latin1_list(Name) orelse lists:all(fun(C) -> is_integer(C) andalso C >= 0 andalso C =< 255 end, Name) of
        true -> {ok, Name};
        false -> error
    end;
vanilla_name(_) -> error.

%% The options as BEAM reads them: badarg for anything else.  Returns
%% which way the file is opened.
check_options(Name, Opts) when is_list(Opts) ->
    Flags = [option(O, Name, Opts) || O <- Opts],
    case {lists:member(in, Flags), lists:member(out, Flags)} of
        {true, false} -> read;
        {false, true} -> write;
        _ -> read_write
    end;
check_options(Name, Opts) -> erlang:error(badarg, [Name, Opts]).

option(O, _, _) when O =:= in; O =:= out -> O;
option(O, _, _) when O =:= binary; O =:= stream; O =:= eof; O =:= hide; O =:= exit_status;
                     O =:= use_stdio; O =:= nouse_stdio; O =:= stderr_to_stdout; O =:= overlapped_io -> O;
option({packet, N}, _, _) when N =:= 1; N =:= 2; N =:= 4 -> packet;
option({line, N}, _, _) when is_integer(N), N > 0 -> line;
option({cd, D}, _, _) when is_list(D); is_binary(D); is_atom(D) -> cd;
option({env, E}, _, _) when is_list(E) -> env;
option({args, A}, _, _) when is_list(A) -> args;
option({arg0, A}, _, _) when is_list(A); is_binary(A) -> arg0;
option({parallelism, B}, _, _) when is_boolean(B) -> parallelism;
option({busy_limits_port, _}, _, _) -> busy;
option({busy_limits_msgq, _}, _, _) -> busy;
option(_, Name, Opts) -> erlang:error(badarg, [Name, Opts]).

%% A port's number, badarg for what is not an open port's or a port.
resolve(Port, _) when is_port(Port) ->
    <<N:32/little>> = xbeam:ident_data(Port),
    N;
resolve(_, Args) -> erlang:error(badarg, Args).

console() -> xbeam:ident_make(1, <<?CONSOLE:32/little>>).

port_of(N) -> xbeam:ident_make(1, <<N:32/little>>).

%% port_command's work: the port must be open and the data iodata (else
%% badarg, and for an open port BEAM's error report too).
command(Port, Data, Args) ->
    N = resolve(Port, Args),
    case {N, is_iodata(Data)} of
        {?CONSOLE, true} -> xbeam:console_write(Data);
        {?CONSOLE, false} -> erlang:error(badarg, Args);
        {_, true} ->
            case call_n(N, {command, Data}) of
                ok -> ok;
                _ -> erlang:error(badarg, Args)
            end;
        {_, false} ->
            case info(N) of
                undefined -> ok;
                Info -> logger:log(error, "Bad value on output port '~ts'~n", [element(2, lists:keyfind(name, 1, Info))])
            end,
            erlang:error(badarg, Args)
    end.

is_iodata(B) when is_binary(B) -> true;
is_iodata(L) when is_list(L) ->
    try erlang:iolist_size(L) of _ -> true
    catch error:_ -> false
    end;
is_iodata(_) -> false.

%% --- the port table ---

call(Port, Request) when is_port(Port) ->
    case resolve(Port, [Port]) of
        ?CONSOLE -> console_request(Request);
        N -> call_n(N, Request)
    end;
call(_, _) -> badarg.

console_request({connect, _}) -> ok;
console_request(_) -> badarg.

call_n(N, Request) ->
    case whereis(xbeam_ports) of
        undefined -> closed;
        _ ->
            case table({lookup, N}) of
                {ok, Pid} -> request(Pid, Request);
                error -> closed
            end
    end.

%% A request to the table or to a port's process, and its reply; closed
%% when the process ends first.
request(Pid, Request) ->
    Ref = erlang:monitor(process, Pid),
    Pid ! {request, self(), Ref, Request},
    receive
        {reply, Ref, Reply} -> erlang:demonitor(Ref, [flush]), Reply;
        {'DOWN', Ref, _, _, _} -> closed
    end.

info(?CONSOLE) ->
    [{name, "console"}, {links, []}, {id, ?CONSOLE}, {connected, console_owner()},
     {input, 0}, {output, 0}, {os_pid, undefined}, {registered_name, []},
     {monitors, []}, {monitored_by, []}, {memory, 0}, {queue_size, 0},
     {parallelism, false}, {locking, port_level}];
info(N) ->
    case call_n(N, info) of
        {ok, Info} -> Info;
        _ -> undefined
    end.

console_owner() ->
    case whereis(user) of
        undefined -> self();
        Pid -> Pid
    end.

table(Request) ->
    Pid = case whereis(xbeam_ports) of
              undefined -> start_table();
              P -> P
          end,
    case request(Pid, Request) of
        closed -> table(Request);               % it ended: another starts
        Reply -> Reply
    end.

%% (Two processes may race to start it: the one registered serves.)
start_table() ->
    Pid = spawn(fun() -> table_loop(1, #{}) end),
    try register(xbeam_ports, Pid) of
        true -> Pid
    catch error:badarg ->
        exit(Pid, kill),
        whereis(xbeam_ports)
    end.

table_loop(Next, Ports) ->
    receive
        {request, From, Ref, Request} ->
            {Reply, Next1, Ports1} = table_request(Request, Next, Ports),
            From ! {reply, Ref, Reply},
            table_loop(Next1, Ports1);
        {'DOWN', _, process, Pid, _} ->
            table_loop(Next, maps:filter(fun(_, P) -> P =/= Pid end, Ports))
    end.

table_request({open, Owner, File, Mode, Opts}, Next, Ports) ->
    Port = port_of(Next),
    case start_port(Port, Next, Owner, File, Mode, Opts) of
        {ok, Pid} ->
            erlang:monitor(process, Pid),
            {{ok, Port}, Next + 1, Ports#{Next => Pid}};
        Error ->
            {Error, Next, Ports}
    end;
table_request({lookup, N}, Next, Ports) ->
    {maps:find(N, Ports), Next, Ports};
table_request(ports, Next, Ports) ->
    {[port_of(N) || N <- lists:sort(maps:keys(Ports))], Next, Ports}.

%% --- a port ---

%% The file is opened (created, truncated or read) before open_port
%% returns, so that its errors are open_port's.
start_port(Port, N, Owner, File, Mode, Opts) ->
    Old = xbeam_file:read_file(File),
    Start = case {Mode, Old} of
                {read, {error, _}} -> {error, einval};  % BEAM's error for a driver that fails to start
                {read, {ok, Bytes}} -> {ok, Bytes};
                {write, _} -> {ok, <<>>};
                {read_write, {ok, Bytes}} -> {ok, Bytes};
                {read_write, _} -> {ok, <<>>}
            end,
    case Start of
        {error, _} = Error -> Error;
        {ok, Contents} ->
            case Mode =:= read orelse xbeam_file:write_file(File, Contents) of
                true -> ok;
                ok -> ok;
                {error, _} = Error -> Error
            end,
            Pid = spawn(fun() ->
                                Ref = erlang:monitor(process, Owner),
                                S = #{port => Port, id => N, name => File, owner => Owner, owner_ref => Ref,
                                      contents => Contents, mode => Mode, opts => Opts,
                                      input => 0, output => 0},
                                case deliver_input(S) of
                                    open -> port_loop(S);
                                    closed -> ok
                                end
                        end),
            {ok, Pid}
    end.

%% A port opened for reading hands its owner the file and then its end.
deliver_input(#{mode := write}) -> open;
deliver_input(#{port := Port, owner := Owner, contents := Bytes, opts := Opts}) ->
    Data = case lists:member(binary, Opts) of
               true -> Bytes;
               false -> binary_to_list(Bytes)
           end,
    case Bytes of
        <<>> -> ok;
        _ -> Owner ! {Port, {data, Data}}
    end,
    case lists:member(eof, Opts) of
        true -> Owner ! {Port, eof}, open;
        false -> closed
    end.

port_loop(S = #{owner := Owner, owner_ref := ORef}) ->
    receive
        {request, From, Ref, Request} ->
            case port_request(Request, From, S) of
                {stop, Reply} ->
                    From ! {reply, Ref, Reply};
                {Reply, S1} ->
                    From ! {reply, Ref, Reply},
                    port_loop(S1)
            end;
        {'DOWN', ORef, process, Owner, _} ->
            ok
    end.

port_request({command, _}, _, #{mode := read}) ->
    {stop, ok};                                 % the write fails: the port closes
port_request({command, Data}, _, S = #{name := File, contents := Old, output := Out}) ->
    New = iolist_to_binary([Old, Data]),
    ok = xbeam_file:write_file(File, New),
    {ok, S#{contents := New, output := Out + byte_size(New) - byte_size(Old)}};
port_request(close, _, _) ->
    {stop, ok};
port_request({connect, Pid}, _, S = #{owner_ref := ORef}) ->
    erlang:demonitor(ORef, [flush]),
    {ok, S#{owner := Pid, owner_ref := erlang:monitor(process, Pid)}};
port_request(info, _, S = #{id := N, owner := Owner, mode := Mode, contents := Bytes, output := Out}) ->
    Input = case Mode of write -> 0; _ -> byte_size(Bytes) end,
    {{ok, [{name, maps:get(name, S)}, {links, [Owner]}, {id, N}, {connected, Owner},
           {input, Input}, {output, Out}, {os_pid, undefined}, {registered_name, []},
           {monitors, []}, {monitored_by, []}, {memory, 0}, {queue_size, 0},
           {parallelism, false}, {locking, port_level}]}, S}.
