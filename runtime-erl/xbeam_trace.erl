%% runtime-erl/xbeam_trace.erl — erlang:trace/3, trace_pattern/2,3 and
%% trace_delivered/1: call tracing (runtime-asm/trace.asm does the work).
%%
%% What there is: the `call` flag, with {tracer, Pid} (else the caller is
%% the tracer), for one process (a pid or self()) or every process that
%% exists (all, existing: not the ones made later); trace patterns
%% {M, F, Arity} with '_' for any part, given true, false, [], or match
%% specifications whose clauses have head '_' (or a list of '_') and no
%% guards, and whose bodies may ask for {return_trace}; the `local`,
%% `global` and `call_count`-less flags.  A pattern applies to every call of
%% the function, local or not: BEAM's `global` sees external calls only.
%% The `running` flag: {trace, Pid, out | in, {M, F, Arity} | 0} whenever
%% the process is scheduled out or in (runtime-asm/trace.asm), the
%% function the one it is in (a BIF written in Erlang shows as the trap
%% function BEAM's C would be in, where the runtime names one).
%% Other trace flags (send, 'receive', procs, ...), `new`
%% processes, and match specifications with guards or other actions raise
%% notsup: valid in BEAM, not done here.  Bad arguments raise badarg.
%% Trace messages are in the tracer's queue when the traced call is made,
%% so trace_delivered/1 answers at once.
-module(xbeam_trace).
-export([trace/3, trace_pattern/2, trace_pattern/3, trace_delivered/1]).

-define(PT_CALL, 1).
-define(PT_RUNNING, 2).

-define(VALID_FLAGS, [all, send, 'receive', procs, ports, call, arity, return_to,
                      silent, running, exiting, running_procs, running_ports,
                      garbage_collection, timestamp, cpu_timestamp, monotonic_timestamp,
                      strict_monotonic_timestamp, set_on_spawn, set_on_first_spawn,
                      set_on_link, set_on_first_link]).

trace(PidSpec, How, Flags) when is_boolean(How), is_list(Flags) ->
    try length(Flags) catch error:badarg -> erlang:error(badarg, [PidSpec, How, Flags]) end,
    {Bits, Tracer} = flags(Flags, 0, self(), [PidSpec, How, Flags]),
    Bits1 = case How of true -> Bits; false -> 0 end,
    case PidSpec of
        P when is_pid(P) ->
            case xbeam:trace_set(P, Bits1, Tracer) of
                true -> 1;
                false -> erlang:error(badarg, [PidSpec, How, Flags])
            end;
        S when S =:= all; S =:= existing ->
            length([P || P <- erlang:processes(), P =/= Tracer, xbeam:trace_set(P, Bits1, Tracer)]);
        S when S =:= new; S =:= new_processes; S =:= existing_processes; S =:= all_processes ->
            erlang:error(notsup, [PidSpec, How, Flags]);
        _ ->
            erlang:error(badarg, [PidSpec, How, Flags])
    end;
trace(PidSpec, How, Flags) ->
    erlang:error(badarg, [PidSpec, How, Flags]).

flags([], Bits, Tracer, _) -> {Bits, Tracer};
flags([call | T], Bits, Tracer, Args) -> flags(T, Bits bor ?PT_CALL, Tracer, Args);
flags([running | T], Bits, Tracer, Args) -> flags(T, Bits bor ?PT_RUNNING, Tracer, Args);
flags([{tracer, P} | T], Bits, _, Args) when is_pid(P) -> flags(T, Bits, P, Args);
flags([F | _], _, _, Args) ->
    case lists:member(F, ?VALID_FLAGS) of
        true -> erlang:error(notsup, Args);
        false -> erlang:error(badarg, Args)
    end;
flags(_, _, _, Args) -> erlang:error(badarg, Args).

trace_pattern(MFA, MS) -> trace_pattern(MFA, MS, [], [MFA, MS]).

trace_pattern(MFA, MS, Flags) -> trace_pattern(MFA, MS, Flags, [MFA, MS, Flags]).

trace_pattern({M, F, A}, MS, Flags, Args)
  when is_atom(M), is_atom(F), is_integer(A) orelse A =:= '_', is_list(Flags) ->
    try length(Flags) catch error:badarg -> erlang:error(badarg, Args) end,
    lists:all(fun(Fl) -> Fl =:= local orelse Fl =:= global end, Flags) orelse
        erlang:error(case lists:all(fun is_atom/1, Flags) of true -> notsup; false -> badarg end, Args),
    %% BEAM refuses a pattern with a specific F or arity under any module.
    (M =/= '_' orelse (F =:= '_' andalso A =:= '_')) orelse erlang:error(badarg, Args),
    (F =/= '_' orelse A =:= '_') orelse erlang:error(badarg, Args),
    TFlags = case MS of
                 false -> 0;
                 true -> 1;
                 [] -> 1;
                 _ when is_list(MS) -> match_spec(MS, Args);
                 _ -> erlang:error(badarg, Args)
             end,
    if is_integer(A), A < 0; is_integer(A), A > 255 -> 0;   % no function has that arity
       true -> xbeam:trace_pattern_add(any(M), any(F), any(A), TFlags)
    end;
trace_pattern(_, _, _, Args) ->
    erlang:error(badarg, Args).

any('_') -> [];
any(X) -> X.

%% 1 (call) or 3 (call and return) for the match specifications there are.
match_spec(MS, Args) ->
    lists:foldl(fun({Head, Guards, Body}, Acc) when is_list(Guards), is_list(Body) ->
                        any_head(Head) orelse erlang:error(notsup, Args),
                        Guards =:= [] orelse erlang:error(notsup, Args),
                        lists:foldl(fun({return_trace}, A) -> A bor 2;
                                       (true, A) -> A;
                                       (_, _) -> erlang:error(notsup, Args)
                                    end, Acc, Body);
                   (_, _) -> erlang:error(badarg, Args)
                end, 1, MS).

any_head('_') -> true;
any_head(L) when is_list(L) -> lists:all(fun(X) -> X =:= '_' end, L);
any_head(_) -> false.

trace_delivered(P) when is_pid(P); P =:= all ->
    Ref = make_ref(),
    self() ! {trace_delivered, P, Ref},
    Ref;
trace_delivered(P) ->
    erlang:error(badarg, [P]).
