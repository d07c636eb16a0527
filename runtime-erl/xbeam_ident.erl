%% runtime-erl/xbeam_ident.erl — funs, pids, ports and references: what
%% they are made of, and back from text.
%%
%% In:  funs, and pid/port/reference text.  Out: erlang:fun_info/1,2 and
%% fun_info_mfa/1 as BEAM gives them, from the fun itself
%% (xbeam:fun_parts/1) and the loader's entry for its lambda
%% (xbeam:fun_entry/1: module, name, old and new index, old uniq and the
%% module's md5, BEAM's new_uniq; runtime-asm/termparts.asm); `pid` is
%% the process that made the fun (its word 3); `refc` counts the lambda's
%% funs on every process's heap (xbeam:fun_refc/1, runtime-asm/gc.asm).
%% list_to_pid/1, list_to_port/1 and list_to_ref/1 read the text BEAM
%% writes (and pid_to_list/1, port_to_list/1, ref_to_list/1 write it,
%% runtime-asm/print.asm) for node 0, the only one; any other node's is
%% badarg, as on a BEAM that is not distributed.  BEAM also refuses a
%% reference whose scheduler bits name no scheduler; xbeam numbers its
%% references differently and takes any.
-module(xbeam_ident).
-export([fun_info/1, fun_info/2, fun_info_mfa/1]).
-export([list_to_pid/1, list_to_port/1, list_to_ref/1]).
-export([pid_to_list/1, port_to_list/1, ref_to_list/1, fun_to_list/1]).

%% ---------------------------------------------------------------------------
%% fun_info

fun_info(F) when is_function(F) ->
    Keys = [type, env, arity, name, uniq, index, new_uniq, new_index, module, pid],
    lists:foldl(fun(K, Acc) ->
                        case fun_info(F, K) of
                            {K, undefined} -> Acc;
                            P -> [P | Acc]
                        end
                end, [], Keys);
fun_info(_) ->
    erlang:error(badarg).

fun_info(F, pid) when is_function(F) ->
    case xbeam:fun_parts(F) of
        {Index, _, _} when is_integer(Index) -> {pid, xbeam:etf_term(F, 3)};
        _ -> {pid, undefined}
    end;
fun_info(F, refc) when is_function(F) ->
    case xbeam:fun_parts(F) of
        {Index, _, _} when is_integer(Index) ->
            %% BEAM frees what an ets table no longer holds at once; a
            %% table here is a process (xbeam_ets.erl): collect it first.
            _ = [erlang:garbage_collect(P) || P <- xbeam_ets:table_pids()],
            {refc, xbeam:fun_refc(F)};
        _ -> {refc, undefined}
    end;
fun_info(F, Item) when is_function(F) ->
    {Item, item(xbeam:fun_parts(F), Item)};
fun_info(F, Item) ->
    erlang:error(badarg, [F, Item]).

fun_info_mfa(F) when is_function(F) ->
    case xbeam:fun_parts(F) of
        {Index, Arity, _Env} when is_integer(Index) ->
            {Module, Name, _} = xbeam:fun_entry(Index),
            {Module, Name, Arity};
        {M, Fn, A} ->
            {M, Fn, A}
    end;
fun_info_mfa(_) ->
    erlang:error(badarg).

%% A local fun: {ImageIndex, Arity, Env}; an export fun: {M, F, A}.
item({Index, Arity, Env}, Item) when is_integer(Index) ->
    {Module, Name, <<OldIndex:32/little, OldUniq:32/little, NewIndex:32/little,
                     Md5:16/binary>>} = xbeam:fun_entry(Index),
    case Item of
        type -> local;
        module -> Module;
        name -> Name;
        arity -> Arity;
        env -> Env;
        index -> OldIndex;
        uniq -> OldUniq;
        new_index -> NewIndex;
        new_uniq -> Md5;
        _ -> erlang:error(badarg)
    end;
item({M, Fn, A}, Item) ->
    case Item of
        type -> external;
        module -> M;
        name -> Fn;
        arity -> A;
        env -> [];
        _ when Item =:= pid; Item =:= index; Item =:= uniq; Item =:= new_index;
               Item =:= new_uniq; Item =:= refc -> undefined;
        _ -> erlang:error(badarg)
    end.

%% ---------------------------------------------------------------------------
%% To text (the printer's form), with BEAM's argument checks.

pid_to_list(P) when is_pid(P) -> xbeam:term_to_chars(P);
pid_to_list(_) -> erlang:error(badarg).

port_to_list(P) when is_port(P) -> xbeam:term_to_chars(P);
port_to_list(_) -> erlang:error(badarg).

ref_to_list(R) when is_reference(R) -> xbeam:term_to_chars(R);
ref_to_list(_) -> erlang:error(badarg).

fun_to_list(F) when is_function(F) -> xbeam:term_to_chars(F);
fun_to_list(_) -> erlang:error(badarg).

%% ---------------------------------------------------------------------------
%% From text.  BEAM reads at most so many bytes (64 for a pid, 38 for a
%% port, 71 for a reference) and numbers of any number of digits.

%% <Node.Number.Serial>
list_to_pid(L) ->
    case numbers(text(L, 64), "<", $>) of
        [0, Number, Serial] when Number < 1 bsl 15, Serial < 1 bsl 13 ->
            xbeam:ident_make(0, <<(Number bor (Serial bsl 15)):32/little>>);
        _ ->
            erlang:error(badarg)
    end.

%% #Port<Node.Number>
list_to_port(L) ->
    case numbers(text(L, 38), "#Port<", $>) of
        [0, Number] when Number < 1 bsl 28 ->
            xbeam:ident_make(1, <<Number:32/little>>);
        _ ->
            erlang:error(badarg)
    end.

%% #Ref<Node.W2.W1.W0>: the number words from the most significant; each
%% fits in 32 bits, the last in 18.
list_to_ref(L) ->
    case numbers(text(L, 71), "#Ref<", $>) of
        [0, W2, W1, W0] when W2 < 1 bsl 32, W1 < 1 bsl 32, W0 < 1 bsl 18 ->
            xbeam:ident_make(2, <<W0:32/little, W1:32/little, W2:32/little>>);
        _ ->
            erlang:error(badarg)
    end.

%% The list as bytes, when it is a proper list of at most Max bytes.
text(L, Max) ->
    try
        true = length(L) =< Max,
        true = lists:all(fun(C) -> is_integer(C) andalso C >= 0 andalso C =< 255 end, L),
        L
    catch
        _:_ -> erlang:error(badarg)
    end.

%% Prefix, then numbers of one digit or more separated by dots, then Close
%% and nothing after it: the numbers, or error.
numbers(Text, Prefix, Close) ->
    case lists:prefix(Prefix, Text) of
        true -> digits(lists:nthtail(length(Prefix), Text), Close, []);
        false -> error
    end.

digits([D | _] = Text, Close, Acc) when D >= $0, D =< $9 ->
    {N, Rest} = number(Text, 0),
    case Rest of
        [$. | More] -> digits(More, Close, [N | Acc]);
        [Close] -> lists:reverse([N | Acc]);
        _ -> error
    end;
digits(_, _, _) ->
    error.

number([D | Rest], N) when D >= $0, D =< $9 -> number(Rest, 10 * N + D - $0);
number(Rest, N) -> {N, Rest}.
