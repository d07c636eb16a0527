-module(stress_messages).
-export([main/0]).

%% 10,000 processes pass messages at random to each other while they
%% allocate, until every message has made its hops; then every process
%% reports how many it received.  Nothing may be lost: the total received
%% is the number of messages times their hops plus one.
main() ->
    N = 10000, Messages = 1000, Hops = 2000,
    Main = self(),
    Workers = list_to_tuple([spawn(fun() -> start(Main, N) end) || _ <- lists:seq(1, N)]),
    persistent_term:put(stress_workers, Workers),
    [element(I, Workers) ! go || I <- lists:seq(1, N)],
    [element(I rem N + 1, Workers) ! {msg, Hops, [I]} || I <- lists:seq(1, Messages)],
    wait_finished(Messages),
    [element(I, Workers) ! {report, Main} || I <- lists:seq(1, N)],
    Received = sum_counts(N, 0),
    io:format("sent ~p, received ~p, lost ~p~n",
              [Messages * (Hops + 1), Received, Messages * (Hops + 1) - Received]),
    {Collections, _, _} = erlang:statistics(garbage_collection),
    io:format("collections: ~p~n", [Collections > N]),
    ok.

start(Main, N) ->
    receive go -> ok end,
    Workers = persistent_term:get(stress_workers),
    loop(Main, Workers, N, seed(), 0).

loop(Main, Workers, N, Seed, Count) ->
    receive
        {msg, 0, _Payload} ->
            Main ! finished,
            loop(Main, Workers, N, Seed, Count + 1);
        {msg, TTL, Payload} ->
            Next = (Seed * 1103515245 + 12345) band 16#7fffffff,
            Keep = lists:sublist([TTL | Payload], 20),
            element(Next rem N + 1, Workers) ! {msg, TTL - 1, lists:reverse(Keep)},
            loop(Main, Workers, N, Next, Count + 1);
        {report, From} ->
            From ! {count, Count}
    end.

wait_finished(0) -> ok;
wait_finished(K) -> receive finished -> wait_finished(K - 1) end.

sum_counts(0, Sum) -> Sum;
sum_counts(K, Sum) -> receive {count, C} -> sum_counts(K - 1, Sum + C) end.

%% A seed from the pid's text: the same numbers wherever the pid is the same.
seed() -> lists:foldl(fun(C, A) -> (A * 31 + C) band 16#7fffffff end, 7, pid_to_list(self())).
