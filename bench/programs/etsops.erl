-module(etsops).
-export([main/0]).

%% ets: a set table of 50,000 integer keys and one of 10,000 tuple keys,
%% filled with insert, read with lookup and member, counted up with
%% update_counter, walked with first/next and emptied with delete; an
%% ordered_set walked both ways.  The result is made of sums and sizes.
main() ->
    T0 = erlang:monotonic_time(microsecond),
    R = (table(set, [I * 7 || I <- lists:seq(1, 50000)])
         + table(set, [{k, I} || I <- lists:seq(1, 10000)])
         + table(ordered_set, lists:seq(1, 20000))) band 16#FFFFFFF,
    T1 = erlang:monotonic_time(microsecond),
    erlang:display({etsops, R, T1 - T0}).

table(Type, Keys) ->
    T = ets:new(t, [Type, public]),
    [ets:insert(T, {K, 1}) || K <- Keys],
    Found = length([K || K <- Keys, ets:lookup(T, K) =/= []]),
    Members = length([K || K <- Keys, ets:member(T, K)]),
    Counted = lists:sum([ets:update_counter(T, K, 2) || K <- Keys]),
    Walked = length(walk(T, ets:first(T), [])),
    Back = case Type of
               ordered_set -> length(back(T, ets:last(T), []));
               _ -> 0
           end,
    [ets:delete(T, K) || K <- Keys],
    Size = ets:info(T, size),
    ets:delete(T),
    Found + Members + Counted + Walked + Back + Size.

walk(_, '$end_of_table', Acc) -> Acc;
walk(T, K, Acc) -> walk(T, ets:next(T, K), [K | Acc]).

back(_, '$end_of_table', Acc) -> Acc;
back(T, K, Acc) -> back(T, ets:prev(T, K), [K | Acc]).
