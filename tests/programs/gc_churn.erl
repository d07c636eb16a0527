-module(gc_churn).
-export([main/0]).

%% Allocates far more than it keeps: many collections must run, and the
%% live data (a growing and shrinking list of tuples) must survive them.
main() ->
    erlang:display(loop(200, [])),
    erlang:display(build(300000, [])).

loop(0, Acc) -> length(Acc);
loop(N, Acc) ->
    L = make(1000, []),
    Kept = case N rem 3 of 0 -> []; _ -> [{N, hd(L)} | Acc] end,
    loop(N - 1, Kept).

make(0, Acc) -> Acc;
make(N, Acc) -> make(N - 1, [{N, N * 2} | Acc]).

build(0, Acc) -> sum(Acc, 0);
build(N, Acc) -> build(N - 1, [N | Acc]).

sum([], S) -> S rem 1000000;
sum([H | T], S) -> sum(T, (S + H) rem 100000000).
