%% References order by creation (BEAM compares their words from the most
%% significant), in sorting and as map keys, whatever the insertion order.
-module(ref_order).
-export([main/0]).

main() ->
    Refs0 = [make_ref() || _ <- lists:seq(1, 20)],
    %% Copies made last to first: their addresses run against their order.
    Refs = lists:reverse([binary_to_term(term_to_binary(R)) || R <- lists:reverse(Refs0)]),
    io:format("~p~n", [Refs =:= Refs0]),
    Shuffled = [R || {_, R} <- lists:sort([{erlang:phash2(I), R} || {I, R} <- lists:zip(lists:seq(1, 20), Refs)])],
    io:format("~p~n", [lists:sort(Shuffled) =:= Refs]),
    io:format("~p~n", [lists:reverse(lists:sort(fun(A, B) -> A >= B end, Shuffled)) =:= Refs]),
    M1 = maps:from_list([{R, x} || R <- Shuffled]),
    M2 = lists:foldl(fun(R, M) -> M#{R => x} end, #{}, lists:reverse(Refs)),
    io:format("~p ~p~n", [maps:keys(M1) =:= Refs, M1 =:= M2]),
    [A, B] = lists:sublist(Refs, 2),
    io:format("~p~n", [[A < B, B > A, erts_internal:cmp_term(A, B), A =:= binary_to_term(term_to_binary(A))]]),
    ok.
