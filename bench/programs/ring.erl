-module(ring).
-export([main/0]).

%% Message passing: a token goes 100 times round a ring of 1,000 processes
%% and the main one (100,000 messages).
main() ->
    N = 1000, Hops = 100 * (N + 1),
    T0 = erlang:monotonic_time(microsecond),
    Self = self(),
    First = lists:foldl(fun(_, Next) -> spawn(fun() -> relay(Next, Self) end) end, Self, lists:seq(1, N)),
    First ! {token, Hops},
    R = loop(First),
    T1 = erlang:monotonic_time(microsecond),
    erlang:display({ring, R, T1 - T0}).

loop(First) ->
    receive
        {token, 0} -> Hops = 0, {done, Hops};
        {token, K} -> First ! {token, K - 1}, loop(First);
        done -> done
    end.

relay(Next, Main) ->
    receive
        {token, 0} -> Main ! done, relay(Next, Main);
        {token, K} -> Next ! {token, K - 1}, relay(Next, Main)
    end.
