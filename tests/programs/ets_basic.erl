%% tests/programs/ets_basic.erl — ets (runtime-erl/xbeam_ets.erl): set keys by =:=,
%% ordered_set keys by ==, bags, counters, match and select, info, delete,
%% and a table that dies with its owner.
-module(ets_basic).
-export([main/0]).
main() ->
    T = ets:new(t, [set]),
    true = ets:insert(T, [{a, 1}, {b, 2}, {1, x}, {1.0, y}]),
    io:format("~p~n", [lists:sort(ets:tab2list(T))]),
    io:format("~p~n", [{ets:lookup(T, a), ets:lookup(T, 1), ets:lookup(T, 1.0), ets:member(T, c)}]),
    io:format("~p~n", [ets:update_counter(T, a, 5)]),
    O = ets:new(o, [ordered_set, named_table]),
    ets:insert(o, [{3, c}, {1, a}, {2, b}, {1.0, aa}]),
    io:format("~p~n", [{ets:tab2list(O), ets:first(o), ets:next(o, 1), ets:last(o)}]),
    io:format("~p~n", [ets:match(o, {'$1', '_'})]),
    io:format("~p~n", [ets:select(o, [{{'$1', '$2'}, [{'>', '$1', 1}], ['$2']}])]),
    B = ets:new(b, [bag]),
    ets:insert(B, [{k, 1}, {k, 2}, {k, 1}]),
    io:format("~p~n", [ets:lookup(B, k)]),
    io:format("~p~n", [{ets:info(B, size), ets:info(B, type)}]),
    ets:delete(B),
    io:format("~p~n", [try ets:lookup(B, k) catch error:R -> R end]),
    Self = self(),
    P = spawn(fun() -> ets:new(gone, [named_table, public]), Self ! made, receive stop -> ok end end),
    receive made -> ok end,
    io:format("~p~n", [ets:info(gone, size)]),
    P ! stop, timer:sleep(10),
    io:format("~p~n", [ets:info(gone, size)]).
