%% runtime-erl/xbeam_ets.erl — ets, as processes.
%%
%% An image has no C ets.  Each table here is a process that holds the
%% objects and answers requests one at a time (so every operation on a
%% table is atomic, as in BEAM); persistent_term maps a table's name or
%% reference to that process.  The table dies with its owner unless an
%% heir takes it over ({heir, Pid, Data}: the heir gets
%% {'ETS-TRANSFER', Tab, FromPid, Data}), and give_away/3 hands it on.
%%
%% Kinds: set and bag keep objects in a map by key (keys match with =:=),
%% ordered_set in a gb_tree (keys compare with ==, as BEAM's), bag and
%% duplicate_bag keep each key's objects in insertion order.  Access
%% rights (public, protected, private) are checked against the owner.
%% Match patterns ('_', '$N') are supported by match/2, match_object/2,
%% select/2 (match specifications with guards from a common subset:
%% comparisons, type tests, andalso/orelse, element, and '$_'/'$$'
%% bodies), select_count/2, select_delete/2 and match_delete/2.
%%
%% emitter/bifs.ts sends the ets module's functions here.
-module(xbeam_ets).
-export([new/2, insert/2, insert_new/2, lookup/2, lookup_element/3, member/2,
         delete/1, delete/2, delete_object/2, delete_all_objects/1,
         tab2list/1, first/1, last/1, next/2, prev/2, info/1, info/2,
         update_counter/3, update_counter/4, update_element/3,
         match/2, match_object/2, select/2, select_count/2, select_delete/2,
         match_delete/2, foldl/3, foldr/3, give_away/3, setopts/2,
         whereis/1, all/0, take/2, rename/2]).
-export([table_pids/0]).

-define(TABLE_MARK, '$xbeam_ets_table').

-record(t, {name, ref, kind, keypos, owner, access, heir = none, named,
            data, size = 0}).

%% --- the tables' directory ---

key(Tab) -> {?MODULE, Tab}.

server(Tab) ->
    case persistent_term:get(key(Tab), undefined) of
        undefined -> erlang:error(badarg);
        Pid -> Pid
    end.

%% A request to the table's process; Args are the caller's arguments, for
%% the badarg it may raise: BEAM's frame for the ets BIF, {ets, F, Args,
%% [{error_info, #{module => erl_stdlib_errors, cause => Cause}}]}, with
%% its causes: id (no such table), access (not the owner of a private or
%% protected table) and badkey (no object to update or read an element
%% of).
call(Tab, Request, Args) ->
    Pid = try server(Tab) catch error:badarg -> fail(Args, id) end,
    Ref = erlang:monitor(process, Pid),
    Pid ! {xbeam_ets, self(), Ref, Request},
    receive
        {Ref, {ok, Reply}} -> erlang:demonitor(Ref, [flush]), Reply;
        {Ref, {badarg, Cause}} -> erlang:demonitor(Ref, [flush]), fail(Args, Cause);
        {'DOWN', Ref, _, _, _} -> fail(Args, id)
    end.

fail(Args, none) -> erlang:error(badarg, Args, [{error_info, #{module => erl_stdlib_errors}}]);
fail(Args, Cause) ->
    erlang:error(badarg, Args, [{error_info, #{module => erl_stdlib_errors, cause => Cause}}]).

%% --- new ---

new(Name, Opts) when is_atom(Name), is_list(Opts) ->
    T0 = try options(Opts, #t{name = Name, kind = set, keypos = 1, access = protected, named = false})
         catch error:badarg -> fail([Name, Opts], none)
         end,
    Owner = self(),
    Ref = make_ref(),
    Tab = case T0#t.named of
              true -> Name;
              false -> Ref
          end,
    case T0#t.named andalso persistent_term:get(key(Name), undefined) =/= undefined of
        true -> fail([Name, Opts], already_exists);
        false -> ok
    end,
    T = T0#t{ref = Tab, owner = Owner, data = empty(T0#t.kind)},
    Pid = spawn(fun() -> start(T) end),
    persistent_term:put(key(Tab), Pid),
    %% The table exists when new/2 returns.
    sync(Pid),
    Tab;
new(Name, Opts) -> fail([Name, Opts], none).

sync(Pid) ->
    Ref = erlang:monitor(process, Pid),
    Pid ! {xbeam_ets, self(), Ref, sync},
    receive {Ref, _} -> erlang:demonitor(Ref, [flush]), ok;
            {'DOWN', Ref, _, _, _} -> ok
    end.

options([], T) -> T;
options([K | Rest], T) when K =:= set; K =:= ordered_set; K =:= bag; K =:= duplicate_bag ->
    options(Rest, T#t{kind = K});
options([A | Rest], T) when A =:= public; A =:= protected; A =:= private ->
    options(Rest, T#t{access = A});
options([named_table | Rest], T) -> options(Rest, T#t{named = true});
options([{keypos, P} | Rest], T) when is_integer(P), P >= 1 -> options(Rest, T#t{keypos = P});
options([{heir, none} | Rest], T) -> options(Rest, T#t{heir = none});
options([{heir, Pid, Data} | Rest], T) when is_pid(Pid) -> options(Rest, T#t{heir = {Pid, Data}});
options([{K, _} | Rest], T) when K =:= write_concurrency; K =:= read_concurrency;
                                 K =:= decentralized_counters -> options(Rest, T);
options([compressed | Rest], T) -> options(Rest, T);
options(_, _) -> erlang:error(badarg).

%% --- the table's process ---

%% A table's process keeps the table's identifier (its name, if named,
%% else its reference) under ?TABLE_MARK in its dictionary: all/0 and
%% table_pids/0 find the tables by it.
start(T) ->
    erlang:monitor(process, T#t.owner),
    put(?TABLE_MARK, T#t.ref),
    loop(T).

%% Every table: {Identifier, its process}.
tables() ->
    [{Tab, P} || P <- erlang:processes(), P =/= self(),
                 {dictionary, D} <- [erlang:process_info(P, dictionary)],
                 {?TABLE_MARK, Tab} <- [lists:keyfind(?TABLE_MARK, 1, D)]].

%% Every table's process (fun_info(F, refc) collects them first).
table_pids() -> [P || {_, P} <- tables()].

loop(T) ->
    receive
        {xbeam_ets, From, Ref, Request} ->
            case request(Request, From, T) of
                {reply, Reply, T1} ->
                    From ! {Ref, {ok, Reply}},
                    loop(T1);
                {stop, Reply} ->
                    From ! {Ref, {ok, Reply}},
                    stop(T);
                {badarg, _} = Failed ->
                    From ! {Ref, Failed},
                    loop(T)
            end;
        {'DOWN', _, process, Owner, _} when Owner =:= T#t.owner ->
            case T#t.heir of
                {Heir, Data} when Heir =/= Owner ->
                    case is_process_alive(Heir) of
                        true ->
                            erlang:monitor(process, Heir),
                            Heir ! {'ETS-TRANSFER', T#t.ref, Owner, Data},
                            loop(T#t{owner = Heir});
                        false -> stop(T)
                    end;
                _ -> stop(T)
            end;
        _ ->
            loop(T)
    end.

stop(T) ->
    persistent_term:erase(key(T#t.ref)),
    exit(normal).

readable(From, T) -> T#t.access =/= private orelse From =:= T#t.owner.
writable(From, T) -> T#t.access =:= public orelse From =:= T#t.owner.

request(sync, _From, T) -> {reply, ok, T};
request(Req, From, T) ->
    Op = if is_tuple(Req) -> element(1, Req); true -> Req end,
    Write = lists:member(Op, [insert, insert_new, delete, delete_key,
                              delete_object, delete_all, update_counter,
                              update_element, select_delete, take,
                              give_away, setopts, rename]),
    Allowed = case Write of
                  true -> writable(From, T) orelse Op =:= give_away;
                  false -> readable(From, T)
              end,
    case Allowed of
        false -> {badarg, access};
        true ->
            try do(Req, From, T)
            catch throw:badarg -> {badarg, none};
                  throw:{badarg, Cause} -> {badarg, Cause};
                  error:_ -> {badarg, none}
            end
    end.

do({insert, Objects}, _From, T) ->
    check_objects(Objects, T),
    {reply, true, lists:foldl(fun(O, Acc) -> put_object(O, Acc) end, T, Objects)};
do({insert_new, Objects}, _From, T) ->
    check_objects(Objects, T),
    case lists:any(fun(O) -> objects(key_of(O, T), T) =/= [] end, Objects) of
        true -> {reply, false, T};
        false -> {reply, true, lists:foldl(fun(O, Acc) -> put_object(O, Acc) end, T, Objects)}
    end;
do({lookup, K}, _From, T) -> {reply, objects(K, T), T};
do({delete_key, K}, _From, T) -> {reply, true, delete_key(K, T)};
do({delete_object, O}, _From, T) ->
    check_objects([O], T),
    K = key_of(O, T),
    Left = [X || X <- objects(K, T), X =/= O],
    {reply, true, set_objects(K, Left, delete_key(K, T))};
do(delete_all, _From, T) ->
    {reply, true, T#t{data = empty(T#t.kind), size = 0}};
do(delete, From, T) when From =:= T#t.owner; T#t.access =:= public -> {stop, true};
do(delete, _From, _T) -> throw(badarg);
do(tab2list, _From, T) -> {reply, all_objects(T), T};
do(first, _From, T) -> {reply, first_key(T), T};
do(last, _From, T) -> {reply, last_key(T), T};
do({next, K}, _From, T) -> {reply, next_key(K, T), T};
do({prev, K}, _From, T) -> {reply, prev_key(K, T), T};
do({info, Item}, _From, T) -> {reply, info_item(Item, T), T};
do({update_counter, K, Ops, Default}, _From, T) ->
    Obj = case objects(K, T) of
              [O] -> O;
              [] when Default =/= none -> setelement(T#t.keypos, Default, K);
              [] -> throw({badarg, badkey});
              _ -> throw(badarg)
          end,
    {Obj1, Result} = counters(Ops, Obj, T),
    {reply, Result, put_object(Obj1, delete_key(K, T))};
do({update_element, K, Ops}, _From, T) ->
    case objects(K, T) of
        [O] ->
            O1 = lists:foldl(fun({Pos, V}, Acc) when Pos =/= T#t.keypos -> setelement(Pos, Acc, V);
                                ({Pos, _}, _) when Pos =:= T#t.keypos -> throw({badarg, keypos});
                                (_, _) -> throw(badarg)
                             end, O, Ops),
            {reply, true, put_object(O1, delete_key(K, T))};
        [] -> {reply, false, T}
    end;
do({select, Spec}, _From, T) -> {reply, select_objects(Spec, all_objects(T)), T};
do({select_count, Spec}, _From, T) ->
    {reply, length([true || true <- select_objects(Spec, all_objects(T))]), T};
do({select_delete, Spec}, _From, T) ->
    Doomed = [O || O <- all_objects(T), select_objects(Spec, [O]) =:= [true]],
    T1 = lists:foldl(fun(O, Acc) ->
                             K = key_of(O, Acc),
                             set_objects(K, [X || X <- objects(K, Acc), X =/= O], delete_key(K, Acc))
                     end, T, Doomed),
    {reply, length(Doomed), T1};
do({take, K}, _From, T) -> {reply, objects(K, T), delete_key(K, T)};
do({give_away, Pid, Data}, From, T) when From =:= T#t.owner ->
    erlang:monitor(process, Pid),
    Pid ! {'ETS-TRANSFER', T#t.ref, From, Data},
    {reply, true, T#t{owner = Pid}};
do({give_away, _, _}, _From, _T) -> throw(badarg);
do({setopts, Opts}, _From, T) ->
    {reply, true, lists:foldl(fun({heir, none}, Acc) -> Acc#t{heir = none};
                                 ({heir, Pid, Data}, Acc) -> Acc#t{heir = {Pid, Data}};
                                 (_, _) -> throw(badarg)
                              end, T, Opts)};
do({rename, Name}, _From, T) when T#t.named ->
    case persistent_term:get(key(Name), undefined) of
        undefined ->
            persistent_term:put(key(Name), self()),
            persistent_term:erase(key(T#t.ref)),
            put(?TABLE_MARK, Name),
            {reply, Name, T#t{name = Name, ref = Name}};
        _ -> throw(badarg)
    end;
do(_, _, _) -> throw(badarg).

check_objects(Objects, T) ->
    lists:foreach(fun(O) when is_tuple(O), tuple_size(O) >= T#t.keypos -> ok;
                     (_) -> throw(badarg)
                  end, Objects).

key_of(O, T) -> element(T#t.keypos, O).

%% The data: ordered_set in a gb_tree (keys compare with ==), the others
%% in a hash trie (runtime-erl/xbeam_htrie.erl: keys match with =:=), each
%% key with its objects, a list (one object for set and ordered_set).
empty(ordered_set) -> gb_trees:empty();
empty(_) -> xbeam_htrie:new().

objects(K, #t{kind = ordered_set, data = D}) ->
    case gb_trees:lookup(K, D) of
        {value, Os} -> Os;
        none -> []
    end;
objects(K, #t{data = D}) -> xbeam_htrie:get(K, D, []).

set_objects(_K, [], T) -> T;
set_objects(K, Os, #t{kind = ordered_set, data = D} = T) ->
    T#t{data = gb_trees:enter(K, Os, D), size = T#t.size + length(Os)};
set_objects(K, Os, #t{data = D} = T) ->
    T#t{data = xbeam_htrie:put(K, Os, D), size = T#t.size + length(Os)}.

delete_key(K, #t{kind = ordered_set, data = D} = T) ->
    case gb_trees:lookup(K, D) of
        {value, Os} -> T#t{data = gb_trees:delete(K, D), size = T#t.size - length(Os)};
        none -> T
    end;
delete_key(K, #t{data = D} = T) ->
    case xbeam_htrie:get(K, D, []) of
        [] -> T;
        Os -> T#t{data = xbeam_htrie:remove(K, D), size = T#t.size - length(Os)}
    end.

put_object(O, T) ->
    K = key_of(O, T),
    Old = objects(K, T),
    New = case T#t.kind of
              set -> [O];
              ordered_set -> [O];
              bag -> case lists:member(O, Old) of true -> Old; false -> Old ++ [O] end;
              duplicate_bag -> Old ++ [O]
          end,
    set_objects(K, New, delete_key(K, T)).

%% Every object, in the order first/next give their keys.
all_objects(#t{kind = ordered_set, data = D}) -> lists:append(gb_trees:values(D));
all_objects(#t{data = D}) ->
    lists:reverse(xbeam_htrie:fold(fun(_, Os, Acc) -> lists:reverse(Os, Acc) end, [], D)).

%% first/next in the table's order: an ordered_set's is the keys' term
%% order (next/2 takes any key, and gives the next one above it); the
%% others' is the trie's (next/2 of a key not in the table is badarg), and
%% there last/1 and prev/2 are first/1 and next/2, as in BEAM.
first_key(#t{size = 0}) -> '$end_of_table';
first_key(#t{kind = ordered_set, data = D}) -> element(1, gb_trees:smallest(D));
first_key(#t{data = D}) -> element(1, xbeam_htrie:first(D)).

last_key(#t{size = 0}) -> '$end_of_table';
last_key(#t{kind = ordered_set, data = D}) -> element(1, gb_trees:largest(D));
last_key(T) -> first_key(T).

next_key(K, #t{kind = ordered_set, data = D}) ->
    above(K, gb_trees:next(gb_trees:iterator_from(K, D)));
next_key(K, #t{data = D}) ->
    case xbeam_htrie:next(K, D) of
        {K1, _} -> K1;
        none -> '$end_of_table';
        nokey -> throw(badarg)
    end.

above(K, {K1, _, It}) when K1 == K -> above(K, gb_trees:next(It));
above(_, {K1, _, _}) -> K1;
above(_, none) -> '$end_of_table'.

prev_key(K, #t{kind = ordered_set, data = {_, Tree}}) -> below(K, Tree, '$end_of_table');
prev_key(K, T) -> next_key(K, T).

%% The greatest key below K, down a gb_tree ({Key, Value, Smaller,
%% Bigger} | nil: gb_trees' own nodes; it has no reversed iterator_from).
below(K, {K1, _, _, Bigger}, _) when K1 < K -> below(K, Bigger, K1);
below(K, {_, _, Smaller, _}, Best) -> below(K, Smaller, Best);
below(_, nil, Best) -> Best.

info_item(size, T) -> T#t.size;
info_item(type, T) -> T#t.kind;
info_item(keypos, T) -> T#t.keypos;
info_item(owner, T) -> T#t.owner;
info_item(name, T) -> T#t.name;
info_item(named_table, T) -> T#t.named;
info_item(protection, T) -> T#t.access;
info_item(heir, #t{heir = none}) -> none;
info_item(heir, #t{heir = {Pid, _}}) -> Pid;
info_item(id, T) -> T#t.ref;
info_item(memory, T) -> erts_debug_words(T);
info_item(node, _) -> node();
info_item(compressed, _) -> false;
info_item(write_concurrency, _) -> false;
info_item(read_concurrency, _) -> false;
info_item(decentralized_counters, _) -> false;
info_item(_, _) -> throw(badarg).

erts_debug_words(T) -> 100 + 10 * T#t.size.

counters(Ops, Obj, T) when is_list(Ops) ->
    {Obj1, Results} = lists:foldl(fun(Op, {O, Rs}) -> {O1, R} = counter(Op, O, T), {O1, [R | Rs]} end,
                                  {Obj, []}, Ops),
    {Obj1, lists:reverse(Results)};
counters(Op, Obj, T) -> counter(Op, Obj, T).

counter(Incr, O, T) when is_integer(Incr) -> counter({T#t.keypos + 1, Incr}, O, T);
counter({Pos, _}, _, #t{keypos = Pos}) -> throw({badarg, keypos});
counter({Pos, _, _, _}, _, #t{keypos = Pos}) -> throw({badarg, keypos});
counter({Pos, _}, O, _) when is_integer(Pos), Pos > tuple_size(O) -> throw({badarg, position});
counter({Pos, _, _, _}, O, _) when is_integer(Pos), Pos > tuple_size(O) -> throw({badarg, position});
counter({Pos, Incr}, O, T) when is_integer(Pos), is_integer(Incr), Pos =/= T#t.keypos ->
    V = element(Pos, O) + Incr,
    {setelement(Pos, O, V), V};
counter({Pos, Incr, Threshold, SetValue}, O, T) when Pos =/= T#t.keypos ->
    V0 = element(Pos, O) + Incr,
    V = if Incr >= 0, V0 > Threshold -> SetValue;
           Incr < 0, V0 < Threshold -> SetValue;
           true -> V0
        end,
    {setelement(Pos, O, V), V};
counter(_, _, _) -> throw(badarg).

%% --- the API ---

insert(Tab, Objects) when is_list(Objects) -> call(Tab, {insert, Objects}, [Tab, Objects]);
insert(Tab, Object) -> call(Tab, {insert, [Object]}, [Tab, Object]).

insert_new(Tab, Objects) when is_list(Objects) -> call(Tab, {insert_new, Objects}, [Tab, Objects]);
insert_new(Tab, Object) -> call(Tab, {insert_new, [Object]}, [Tab, Object]).

lookup(Tab, K) -> call(Tab, {lookup, K}, [Tab, K]).

lookup_element(Tab, K, Pos) ->
    case call(Tab, {lookup, K}, [Tab, K, Pos]) of
        [] -> fail([Tab, K, Pos], badkey);
        [O] when tuple_size(O) >= Pos -> element(Pos, O);
        Os when is_list(Os) ->
            try [element(Pos, O) || O <- Os]
            catch error:_ -> fail([Tab, K, Pos], none)
            end
    end.

member(Tab, K) -> call(Tab, {lookup, K}, [Tab, K]) =/= [].

delete(Tab) -> call(Tab, delete, [Tab]).
delete(Tab, K) -> call(Tab, {delete_key, K}, [Tab, K]).
delete_object(Tab, O) -> call(Tab, {delete_object, O}, [Tab, O]).
delete_all_objects(Tab) -> call(Tab, delete_all, [Tab]).
tab2list(Tab) -> call(Tab, tab2list, [Tab]).
first(Tab) -> call(Tab, first, [Tab]).
last(Tab) -> call(Tab, last, [Tab]).
next(Tab, K) -> call(Tab, {next, K}, [Tab, K]).
prev(Tab, K) -> call(Tab, {prev, K}, [Tab, K]).
take(Tab, K) -> call(Tab, {take, K}, [Tab, K]).
rename(Tab, Name) when is_atom(Name) -> call(Tab, {rename, Name}, [Tab, Name]).

info(Tab) ->
    try [{Item, info(Tab, Item)} || Item <- [id, decentralized_counters, read_concurrency,
                                             write_concurrency, compressed, memory, owner,
                                             heir, name, size, node, named_table, type,
                                             keypos, protection]]
    catch error:badarg -> undefined
    end.

info(Tab, Item) ->
    case persistent_term:get(key(Tab), undefined) of
        undefined when is_atom(Tab); is_reference(Tab) -> undefined;
        undefined -> erlang:error(badarg, [Tab, Item]);
        _ -> call(Tab, {info, Item}, [Tab, Item])
    end.

update_counter(Tab, K, Ops) -> call(Tab, {update_counter, K, Ops, none}, [Tab, K, Ops]).
update_counter(Tab, K, Ops, Default) when is_tuple(Default) ->
    call(Tab, {update_counter, K, Ops, Default}, [Tab, K, Ops, Default]).

update_element(Tab, K, {Pos, V}) -> call(Tab, {update_element, K, [{Pos, V}]}, [Tab, K, {Pos, V}]);
update_element(Tab, K, Ops) when is_list(Ops) -> call(Tab, {update_element, K, Ops}, [Tab, K, Ops]).

give_away(Tab, Pid, Data) when is_pid(Pid) ->
    case Pid =:= self() orelse not is_process_alive(Pid) of
        true -> erlang:error(badarg, [Tab, Pid, Data]);
        false -> call(Tab, {give_away, Pid, Data}, [Tab, Pid, Data])
    end.

setopts(Tab, Opts) when is_list(Opts) -> call(Tab, {setopts, Opts}, [Tab, Opts]);
setopts(Tab, Opt) -> call(Tab, {setopts, [Opt]}, [Tab, Opt]).

whereis(Name) when is_atom(Name) ->
    case persistent_term:get(key(Name), undefined) of
        undefined -> undefined;
        _ -> Name
    end.

all() -> [Tab || {Tab, _} <- tables()].

foldl(F, Acc, Tab) -> lists:foldl(F, Acc, tab2list(Tab)).
foldr(F, Acc, Tab) -> lists:foldr(F, Acc, tab2list(Tab)).

%% --- matching ---

match_object(Tab, Pattern) -> call(Tab, {select, [{Pattern, [], ['$_']}]}, [Tab, Pattern]).
match(Tab, Pattern) -> call(Tab, {select, [{Pattern, [], ['$$']}]}, [Tab, Pattern]).
match_delete(Tab, Pattern) ->
    call(Tab, {select_delete, [{Pattern, [], [true]}]}, [Tab, Pattern]),
    true.
select(Tab, Spec) when is_list(Spec) -> call(Tab, {select, Spec}, [Tab, Spec]).
select_count(Tab, Spec) when is_list(Spec) -> call(Tab, {select_count, Spec}, [Tab, Spec]).
select_delete(Tab, Spec) when is_list(Spec) -> call(Tab, {select_delete, Spec}, [Tab, Spec]).

%% The results of a match specification over objects, in their order.
select_objects(Spec, Objects) ->
    lists:append([select_one(Spec, O) || O <- Objects]).

select_one([], _O) -> [];
select_one([{Pattern, Guards, Body} | Rest], O) ->
    case bind(Pattern, O, #{}) of
        {ok, B} ->
            case lists:all(fun(G) -> guard(G, O, B) end, Guards) of
                true -> [lists:last([body(E, O, B) || E <- Body])];
                false -> select_one(Rest, O)
            end;
        false -> select_one(Rest, O)
    end.

bind('_', _, B) -> {ok, B};
bind(V, X, B) when is_atom(V) ->
    case variable(V) of
        true ->
            case B of
                #{V := Y} when Y =:= X -> {ok, B};
                #{V := _} -> false;
                _ -> {ok, B#{V => X}}
            end;
        false when V =:= X -> {ok, B};
        false -> false
    end;
bind(P, X, B) when is_tuple(P), is_tuple(X), tuple_size(P) =:= tuple_size(X) ->
    bind_list(tuple_to_list(P), tuple_to_list(X), B);
bind([P | Ps], [X | Xs], B) ->
    case bind(P, X, B) of
        {ok, B1} -> bind(Ps, Xs, B1);
        false -> false
    end;
bind(P, X, B) when is_map(P), is_map(X) ->
    lists:foldl(fun(_, false) -> false;
                   ({K, V}, {ok, Acc}) ->
                        case X of
                            #{K := XV} -> bind(V, XV, Acc);
                            _ -> false
                        end
                end, {ok, B}, maps:to_list(P));
bind(P, X, B) when P =:= X -> {ok, B};
bind(_, _, _) -> false.

bind_list([], [], B) -> {ok, B};
bind_list([P | Ps], [X | Xs], B) ->
    case bind(P, X, B) of
        {ok, B1} -> bind_list(Ps, Xs, B1);
        false -> false
    end.

variable(A) ->
    case atom_to_list(A) of
        [$$ | Ds] when Ds =/= [] -> lists:all(fun(C) -> C >= $0 andalso C =< $9 end, Ds);
        _ -> false
    end.

eval('$_', O, _B) -> O;
eval('$$', _O, B) -> [V || {_, V} <- lists:sort(fun({K1, _}, {K2, _}) -> var_n(K1) =< var_n(K2) end, maps:to_list(B))];
eval(V, _O, B) when is_atom(V) ->
    case B of
        #{V := X} -> X;
        _ -> V
    end;
eval({const, C}, _, _) -> C;
eval({T}, O, B) when is_tuple(T) -> list_to_tuple([eval(E, O, B) || E <- tuple_to_list(T)]);
eval({'andalso', X, Y}, O, B) -> eval(X, O, B) =:= true andalso eval(Y, O, B);
eval({'orelse', X, Y}, O, B) -> eval(X, O, B) =:= true orelse eval(Y, O, B);
eval({F, X}, O, B) when is_atom(F) -> guard1(F, eval(X, O, B));
eval({F, X, Y}, O, B) when is_atom(F) -> guard2(F, eval(X, O, B), eval(Y, O, B));
eval({binary_part, X, Y, Z}, O, B) -> binary_part(eval(X, O, B), eval(Y, O, B), eval(Z, O, B));
eval({is_record, X, Tag, Size}, O, B) ->
    T = eval(X, O, B),
    is_tuple(T) andalso tuple_size(T) =:= eval(Size, O, B) andalso element(1, T) =:= eval(Tag, O, B);
eval(L, O, B) when is_list(L) -> [eval(E, O, B) || E <- L];
eval(C, _, _) -> C.

var_n(A) -> list_to_integer(tl(atom_to_list(A))).

guard1(is_atom, X) -> is_atom(X);
guard1(is_integer, X) -> is_integer(X);
guard1(is_float, X) -> is_float(X);
guard1(is_number, X) -> is_number(X);
guard1(is_list, X) -> is_list(X);
guard1(is_tuple, X) -> is_tuple(X);
guard1(is_binary, X) -> is_binary(X);
guard1(is_pid, X) -> is_pid(X);
guard1(is_reference, X) -> is_reference(X);
guard1(is_map, X) -> is_map(X);
guard1(is_function, X) -> is_function(X);
guard1('not', X) -> not X;
guard1(hd, X) -> hd(X);
guard1(tl, X) -> tl(X);
guard1(length, X) -> length(X);
guard1(size, X) -> size(X);
guard1(tuple_size, X) -> tuple_size(X);
guard1(abs, X) -> abs(X);
guard1('-', X) -> -X;
guard1('+', X) -> +X;
guard1(is_boolean, X) -> is_boolean(X);
guard1(is_port, X) -> is_port(X);
guard1(is_bitstring, X) -> is_bitstring(X);
guard1(map_size, X) -> map_size(X);
guard1(bit_size, X) -> bit_size(X);
guard1(byte_size, X) -> byte_size(X);
guard1(round, X) -> round(X);
guard1(trunc, X) -> trunc(X);
guard1(float, X) -> float(X);
guard1('bnot', X) -> bnot X;
guard1(node, X) -> node(X);
guard1(_, _) -> false.

guard2('==', X, Y) -> X == Y;
guard2('=:=', X, Y) -> X =:= Y;
guard2('/=', X, Y) -> X /= Y;
guard2('=/=', X, Y) -> X =/= Y;
guard2('<', X, Y) -> X < Y;
guard2('>', X, Y) -> X > Y;
guard2('=<', X, Y) -> X =< Y;
guard2('>=', X, Y) -> X >= Y;
guard2('and', X, Y) -> X and Y;
guard2('or', X, Y) -> X or Y;
guard2('+', X, Y) -> X + Y;
guard2('-', X, Y) -> X - Y;
guard2('*', X, Y) -> X * Y;
guard2('div', X, Y) -> X div Y;
guard2('rem', X, Y) -> X rem Y;
guard2(element, N, T) -> element(N, T);
guard2(is_record, X, Tag) -> is_tuple(X) andalso tuple_size(X) > 0 andalso element(1, X) =:= Tag;
guard2(map_get, K, M) -> map_get(K, M);
guard2(is_map_key, K, M) -> is_map_key(K, M);
guard2(is_function, F, A) -> is_function(F, A);
guard2(max, X, Y) -> max(X, Y);
guard2(min, X, Y) -> min(X, Y);
guard2('xor', X, Y) -> X xor Y;
guard2('/', X, Y) -> X / Y;
guard2('band', X, Y) -> X band Y;
guard2('bor', X, Y) -> X bor Y;
guard2('bxor', X, Y) -> X bxor Y;
guard2('bsl', X, Y) -> X bsl Y;
guard2('bsr', X, Y) -> X bsr Y;
guard2(_, _, _) -> false.

%% A guard that raises fails, as in BEAM; a body expression that raises
%% gives 'EXIT'.
guard(G, O, B) ->
    try eval(G, O, B) =:= true
    catch error:_ -> false
    end.

body(E, O, B) ->
    try eval(E, O, B)
    catch error:_ -> 'EXIT'
    end.
