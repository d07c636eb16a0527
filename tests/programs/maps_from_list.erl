%% maps:from_list/1 and maps:merge/2 against erl: duplicates (the last pair
%% wins), keys equal in value but not exactly (1 and 1.0 are two keys),
%% nested maps as keys, lists long enough for merge runs of every width,
%% already sorted and reversed input, and badarg for what is not a proper
%% list of pairs.
-module(maps_from_list).
-export([main/0]).

main() ->
    show(maps:from_list([])),
    show(maps:from_list([{a, 1}])),
    show(maps:from_list([{b, 1}, {a, 2}, {b, 3}, {c, 4}, {a, 5}])),
    show(maps:from_list([{1, int}, {1.0, float}, {1, int2}, {-0.0, nz}, {0, z}, {0.0, pz}])),
    show(maps:from_list([{#{x => 1}, m1}, {#{x => 1.0}, m2}, {[1], l}, {{1}, t}, {<<"b">>, b}, {"b", s}])),
    Big = [{N rem 97, N} || N <- lists:seq(1, 1000)],
    M = maps:from_list(Big),
    io:format("~p ~p~n", [map_size(M), lists:sort(maps:to_list(M)) =:= lists:sort(last_wins(Big))]),
    Sorted = [{N, N * N} || N <- lists:seq(1, 40)],
    show(maps:from_list(Sorted)),
    show(maps:from_list(lists:reverse(Sorted))),
    show(maps:from_list([{1, a}, {2, b}, {3, c}, {3, d}])),
    show(maps:from_list([{1, a}, {1, b}, {2, c}])),
    show(maps:from_list([{3, a}, {2, b}, {1, c}, {1, d}])),
    show(maps:from_list([{3, a}, {3, b}, {2, c}])),
    show(maps:from_list([{2, a}, {1, b}, {3, c}])),
    show(maps:from_list([{1, a}, {1.0, b}, {2, c}])),
    show(maps:from_list([{2, a}, {1.0, b}, {1, c}])),
    Atoms = [{list_to_atom("k" ++ integer_to_list(N)), N} || N <- lists:seq(1, 60)],
    A = maps:from_list(Atoms ++ lists:reverse(Atoms)),
    io:format("~p ~p~n", [map_size(A), [maps:get(K, A) || {K, _} <- lists:sublist(Atoms, 5)]]),
    io:format("~p~n", [A =:= maps:from_list(lists:reverse(Atoms))]),
    show(maps:merge(#{a => 1, b => 2, 1 => x}, #{b => 3, c => 4, 1.0 => y})),
    show(maps:merge(maps:from_list(Sorted), #{5 => five, 100 => hundred})),
    [io:format("~p~n", [try maps:from_list(Bad) catch error:R:S -> {R, hd(S)} end])
     || Bad <- [a, [a], [{a, 1} | b], [{a, 1}, {b}], [{a, 1, 2}], [[a, b]], <<>>, #{}]],
    ok.

last_wins(Pairs) -> maps:to_list(lists:foldl(fun({K, V}, Acc) -> Acc#{K => V} end, #{}, Pairs)).

show(M) ->
    io:format("~p ~w~n", [map_size(M), lists:sort(maps:to_list(M))]),
    io:format("~w~n", [M]).
