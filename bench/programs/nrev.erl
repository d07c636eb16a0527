-module(nrev).
-export([main/0]).

%% Naive reverse: list construction and garbage collection.
main() ->
    L = seq(1, 30),
    T0 = erlang:monotonic_time(microsecond),
    R = loop(200000, L, []),
    T1 = erlang:monotonic_time(microsecond),
    erlang:display({nrev, hd(R), T1 - T0}).

loop(0, _, Acc) -> Acc;
loop(N, L, _) -> loop(N - 1, L, nrev(L)).

nrev([]) -> [];
nrev([H | T]) -> app(nrev(T), [H]).

app([], L) -> L;
app([H | T], L) -> [H | app(T, L)].

seq(A, B) when A > B -> [];
seq(A, B) -> [A | seq(A + 1, B)].
