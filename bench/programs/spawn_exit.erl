-module(spawn_exit).
-export([main/0]).

%% Spawn and exit: 100,000 processes, each telling its parent it ran
%% before it ends; the parent waits for them all.
main() ->
    N = 100000,
    T0 = erlang:monotonic_time(microsecond),
    Self = self(),
    [spawn(fun() -> Self ! done end) || _ <- lists:seq(1, N)],
    R = wait(N),
    T1 = erlang:monotonic_time(microsecond),
    erlang:display({spawn_exit, R, T1 - T0}).

wait(0) -> ok;
wait(K) -> receive done -> wait(K - 1) end.
