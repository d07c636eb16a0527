-module(records_update).
-export([main/0]).

-record(r, {a = 1, b = 2, c = 3, d = 4, e = 5}).

%% Multi-field record updates compile to setelement/3 and set_tuple_element.
main() ->
    R = #r{},
    R1 = R#r{b = x, d = y},
    R2 = update(R1, 10),
    erlang:display([R, R1, R2]),
    erlang:display({node(), is_pid(self())}),
    erlang:display(loop(1000, #r{})).

update(R, N) -> R#r{a = N, c = N + 1, e = [N]}.

loop(0, R) -> R;
loop(N, R) -> loop(N - 1, R#r{a = N, b = R#r.a, c = [R#r.c]} ).
