%% ets's badarg errors in BEAM's shape: the BIF's frame with its arguments
%% and error_info, whose cause says why (id, access, badkey, keypos,
%% position, already_exists), and the message erl_error makes of it.
%% References print differently in each system, so tables are named.
-module(ets_errors).
-export([main/0]).

main() ->
    T = ets:new(t, [named_table, public]),
    ets:insert(t, {k, v, 1}),
    P = ets:new(p, [named_table, private]),
    ets:new(d, [named_table]),
    ets:delete(d),
    ets:new(o, [named_table, ordered_set]),
    ets:insert(o, [{1, a}, {3, b}]),
    Cases = [fun() -> ets:next(t, nokey) end,
             fun() -> ets:lookup(d, 1) end,
             fun() -> ets:first(d) end,
             fun() -> ets:insert(t, x) end,
             fun() -> ets:insert(t, {}) end,
             fun() -> ets:update_counter(t, nokey, 1) end,
             fun() -> ets:update_counter(t, k, {1, 1}) end,
             fun() -> ets:update_counter(t, k, {5, 1}) end,
             fun() -> ets:update_counter(t, k, 1) end,
             fun() -> ets:update_element(t, k, {1, x}) end,
             fun() -> ets:lookup_element(t, nokey, 1) end,
             fun() -> ets:lookup_element(t, k, 5) end,
             fun() -> ets:new(t, [named_table]) end,
             fun() -> ets:new(y, [bogus]) end,
             fun() -> ets:select(t, [bad]) end,
             fun() -> ets:match_object(d, '_') end,
             fun() -> ets:delete(d, k) end,
             fun() -> ets:info(d, size) end,
             fun() -> other_process(fun() -> ets:lookup(p, 1) end) end,
             fun() -> other_process(fun() -> ets:insert(o, {2, c}) end) end],
    [report(C) || C <- Cases],
    io:format("~p ~p ~p~n", [ets:next(o, 2), ets:prev(o, 2), ets:info(d, size)]),
    ets:delete(T), ets:delete(P), ok.

report(F) ->
    try F() of
        R -> io:format("ok ~p~n", [R])
    catch error:R:S ->
        [{M, Fn, Args, Loc} | _] = S,
        io:format("~p ~p:~p ~p ~p~n", [R, M, Fn, Args, proplists:get_value(error_info, Loc)]),
        io:format("~ts~n", [erl_error:format_exception(error, R, S, #{stack_trim_fun => fun(Mod, _, _) -> Mod =/= ets end})])
    end.

other_process(F) ->
    Self = self(),
    spawn(fun() -> Self ! {done, try {ok, F()} catch error:R:S -> {error, R, S} end} end),
    receive
        {done, {ok, V}} -> V;
        {done, {error, R, S}} -> erlang:raise(error, R, S)
    end.
