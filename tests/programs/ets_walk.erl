%% ets tables walked with first/next (and last/prev), large enough that
%% the hash tables' tries go several levels deep, with keys of many kinds,
%% deletes that empty parts of them, and bags.  Hash-table order is each
%% system's own, so what is printed is sorted or counted.
-module(ets_walk).
-export([main/0]).

main() ->
    Keys = keys(20000),
    [walk(Type, Keys) || Type <- [set, bag, duplicate_bag, ordered_set]],
    missing(),
    ok.

keys(N) ->
    Ints = [I * 7919 rem 1000003 || I <- lists:seq(1, N div 4)],
    Ints ++ [{t, I} || I <- lists:seq(1, N div 8)] ++ [integer_to_list(I) || I <- lists:seq(1, N div 8)]
        ++ [list_to_binary(integer_to_list(I * 3)) || I <- lists:seq(1, N div 8)]
        ++ [I + 0.5 || I <- lists:seq(1, N div 8)] ++ [1 bsl (40 + I rem 50) + I || I <- lists:seq(1, N div 8)]
        ++ [list_to_atom("k" ++ integer_to_list(I)) || I <- lists:seq(1, 100)].

walk(Type, Keys) ->
    T = ets:new(t, [Type]),
    true = ets:insert(T, [{K, 1} || K <- Keys]),
    true = ets:insert(T, [{K, 2} || K <- lists:sublist(Keys, 3000)]),
    Walked = walk(T, ets:first(T), []),
    io:format("~p: size ~p, walked ~p keys, distinct ~p, sorted same ~p~n",
              [Type, ets:info(T, size), length(Walked), length(lists:usort(Walked)),
               lists:sort(Walked) =:= lists:usort(Keys)]),
    Back = back(T, ets:last(T), []),
    io:format("  backwards ~p, same keys ~p, last is first ~p~n",
              [length(Back), lists:sort(Back) =:= lists:sort(Walked), ets:last(T) =:= ets:first(T)]),
    %% Delete most keys, then walk again.
    Doomed = [K || {I, K} <- lists:zip(lists:seq(1, length(Keys)), Keys), I rem 7 =/= 0],
    [true = ets:delete(T, K) || K <- Doomed],
    Left = walk(T, ets:first(T), []),
    io:format("  after deletes: size ~p, walked ~p, lookups ~p, objects ~p~n",
              [ets:info(T, size), length(Left),
               lists:sum([length(ets:lookup(T, K)) || K <- Keys]),
               length(ets:tab2list(T))]),
    io:format("  sum ~p, select ~p~n",
              [ets:foldl(fun({_, V}, A) -> A + V end, 0, T),
               length(ets:select(T, [{{'_', 2}, [], ['$_']}]))]),
    [true = ets:delete(T, K) || K <- Keys],
    io:format("  emptied: ~p ~p~n", [ets:info(T, size), ets:first(T)]),
    ets:delete(T).

walk(_, '$end_of_table', Acc) -> lists:reverse(Acc);
walk(T, K, Acc) -> walk(T, ets:next(T, K), [K | Acc]).

back(_, '$end_of_table', Acc) -> Acc;
back(T, K, Acc) -> back(T, ets:prev(T, K), [K | Acc]).

missing() ->
    S = ets:new(s, [set]),
    ets:insert(S, [{1, a}, {2, b}]),
    O = ets:new(o, [ordered_set]),
    ets:insert(O, [{1, a}, {3, b}, {5, c}]),
    io:format("~p~n", [[reason(catch ets:next(S, 7)), ets:next(O, 2), ets:prev(O, 4), ets:next(O, 5),
                        ets:prev(O, 1), ets:next(O, 3.0), ets:prev(O, 0)]]).

reason({'EXIT', {R, _}}) -> R.
