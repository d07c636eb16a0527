-module(receive_marker).
-behaviour(gen_server).
-export([main/0, init/1, handle_call/3, handle_cast/2]).

%% Receives that wait for a new reference start after the messages that
%% were queued before it (OTP 25's receive markers): gen_server:call with
%% a long mailbox, demonitor with flush, and a plain make_ref receive;
%% the old messages stay, in order.
main() ->
    {ok, P} = gen_server:start_link(?MODULE, [], []),
    [self() ! {junk, N} || N <- lists:seq(1, 5000)],
    Replies = [gen_server:call(P, {echo, N}) || N <- lists:seq(1, 200)],
    io:format("replies: ~p~n", [lists:sum(Replies)]),
    Ref = make_ref(),
    self() ! {Ref, mine},
    receive {Ref, What} -> io:format("got ~p~n", [What]) end,
    M = monitor(process, spawn(fun() -> ok end)),
    receive {'DOWN', M, process, _, Why} -> io:format("down: ~p~n", [Why]) end,
    M2 = monitor(process, P),
    true = demonitor(M2, [flush]),
    {message_queue_len, L} = process_info(self(), message_queue_len),
    First = receive {junk, F} -> F end,
    io:format("still queued: ~p, first ~p~n", [L, First]),
    ok.

init([]) -> {ok, []}.
handle_call({echo, N}, _From, S) -> {reply, N, S}.
handle_cast(_, S) -> {noreply, S}.
