%% Timers whose messages hold large binaries: erlang:send_after/3 and
%% start_timer/3 keep a reference to each binary (no copy of its bytes)
%% until the message is sent or the timer cancelled.  Forty timers of a
%% 20 MB binary would not fit a 256 MiB image as copies.
-module(timer_bins).
-export([main/0]).

main() ->
    Big = binary:copy(<<"abcdefghij">>, 2000000),
    Self = self(),
    Refs = [erlang:send_after(10 + I, Self, {bin, I, Big}) || I <- lists:seq(1, 20)],
    Starts = [erlang:start_timer(10 + I, Self, {start, I, binary:part(Big, I, 1000)}) || I <- lists:seq(1, 10)],
    Cancelled = [erlang:send_after(60000, Self, {never, I, Big}) || I <- lists:seq(1, 10)],
    Left = [erlang:cancel_timer(R) =/= false || R <- Cancelled],
    Got = [receive {bin, I, B} -> {I, byte_size(B), binary:last(B)} end || I <- lists:seq(1, 20)],
    Started = [receive {timeout, R, {start, I, P}} -> {R =:= lists:nth(I, Starts), byte_size(P)} end
               || I <- lists:seq(1, 10)],
    io:format("~p ~p~n~p~n~p~n", [length(Refs), Left, Got, Started]),
    garbage_collect(),
    io:format("~p~n", [byte_size(Big)]).
