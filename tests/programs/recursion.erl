-module(recursion).
-export([main/0]).

%% Tail calls run in constant stack (ten million of them, local and
%% mutual, with last-call deallocation); body recursion goes a million deep.
main() ->
    erlang:display(count(10000000, 0)),
    erlang:display(ping(5000000)),
    erlang:display(len(build(1000000), 0)),
    erlang:display(depth(1000000)).

count(0, Acc) -> Acc;
count(N, Acc) -> count(N - 1, Acc + 1).

ping(0) -> ping_done;
ping(N) -> pong(N - 1).

pong(0) -> pong_done;
pong(N) -> ping(N - 1).

build(0) -> [];
build(N) -> [N | build(N - 1)].

len([], N) -> N;
len([_ | T], N) -> len(T, N + 1).

depth(0) -> 0;
depth(N) -> 1 + depth(N - 1).
