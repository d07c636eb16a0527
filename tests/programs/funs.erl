-module(funs).
-export([main/0]).

main() ->
    K = id(10),
    Add = fun(X) -> X + K end,
    Pair = fun(A, B) -> {A, B, K} end,
    erlang:display(map(Add, [1, 2, 3])),
    erlang:display(Pair(a, b)),
    erlang:display(foldl(fun(X, Acc) -> X + Acc end, 0, seq(1, 100))),
    erlang:display(filter(fun(X) -> X rem 3 =:= 0 end, seq(1, 30))),
    Compose = compose(Add, fun(X) -> X * 2 end),
    erlang:display(map(Compose, [1, 2, 3])),
    Counters = [make_counter(N) || N <- seq(1, 5)],
    erlang:display([C(100) || C <- Counters]),
    %% Closures that survive many collections.
    erlang:display(churn(300, Counters)),
    erlang:display(apply_all([fun(X) -> {X} end, fun(X) -> [X] end, Add], 7)).

id(X) -> X.

compose(F, G) -> fun(X) -> G(F(X)) end.

make_counter(N) -> fun(X) -> X + N end.

churn(0, Fs) -> [F(0) || F <- Fs];
churn(N, Fs) ->
    _Garbage = seq(1, 200),
    churn(N - 1, [compose(F, fun(X) -> X end) || F <- Fs]).

apply_all([], _) -> [];
apply_all([F | Fs], X) -> [F(X) | apply_all(Fs, X)].

map(_, []) -> [];
map(F, [H | T]) -> [F(H) | map(F, T)].

foldl(_, Acc, []) -> Acc;
foldl(F, Acc, [H | T]) -> foldl(F, F(H, Acc), T).

filter(_, []) -> [];
filter(P, [H | T]) ->
    case P(H) of
        true -> [H | filter(P, T)];
        false -> filter(P, T)
    end.

seq(A, B) when A > B -> [];
seq(A, B) -> [A | seq(A + 1, B)].
