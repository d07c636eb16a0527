%% Maps above 32 keys iterate in BEAM's hash-trie order (runtime-erl/
%% xbeam_maps.erl): keys/values/to_list, maps:next, fold, io_lib's
%% printing and term_to_binary, for keys of every type whose hash does not
%% depend on erl's atom table: integers (small, 60-bit, bignums, negative),
%% floats, binaries and bitstrings, strings and other lists, tuples, and
%% maps (small and large) as keys.  Sizes around the 32-key boundary, and
%% maps shrinking back below it.
-module(maps_order).
-export([main/0]).

main() ->
    Kinds = [ints, bigints, floats, binaries, lists, tuples, mixed],
    lists:foreach(fun(Kind) ->
                          lists:foreach(fun(N) -> show(Kind, N, keys(Kind, N, 17 * N)) end,
                                        [32, 33, 40, 100, 700])
                  end, Kinds),
    %% Maps as keys, and a large map shrinking through the boundary.
    Inner = [maps:from_list([{I, J} || I <- lists:seq(1, J)]) || J <- [1, 5, 33, 40]],
    show(map_keys, 36, Inner ++ lists:seq(1, 32)),
    Big = maps:from_list([{I, I} || I <- lists:seq(1, 34)]),
    Small = maps:remove(3, maps:remove(5, Big)),
    io:format("~w~n~w~n", [maps:keys(Small), maps:keys(Small#{5 => x})]),
    %% deterministic: every map's pairs in key order, nested ones too.
    Nested = Big#{-1000 => maps:from_list([{-I, I} || I <- lists:seq(1, 50)])},
    io:format("~w~n~w~n", [erlang:md5(term_to_binary(Nested, [deterministic])), erlang:md5(term_to_binary(Nested))]),
    ok.

show(Kind, N, Keys) ->
    M = maps:from_list([{K, I} || {I, K} <- lists:zip(lists:seq(1, length(Keys)), Keys)]),
    Keys1 = maps:keys(M),
    Next = iterate(maps:next(maps:iterator(M))),
    Fold = maps:fold(fun(K, _, A) -> [K | A] end, [], M),
    io:format("~p ~p ~p ~w ~w ~w~n", [Kind, N, map_size(M), erlang:phash2(Keys1), erlang:phash2(Next),
                                      Fold =:= Keys1]),
    io:format("~w~n", [M]),
    io:format("~w~n", [erlang:md5(term_to_binary(M))]).

iterate(none) -> [];
iterate({K, _, I}) -> [K | iterate(maps:next(I))].

%% N keys of a kind, from a linear congruential generator seeded with S.
keys(_, 0, _) -> [];
keys(Kind, N, S) ->
    S1 = (S * 1103515245 + 12345) band 16#7fffffff,
    [key(Kind, S1, N) | keys(Kind, N - 1, S1)].

key(ints, S, N) -> S rem 100000 - 50000 + N;
key(bigints, S, N) ->
    case N rem 3 of
        0 -> S bsl 28 + N;                        % 59-bit (a 64-bit BEAM's small)
        1 -> -(S bsl 40) - N;                     % beyond 64-bit smalls
        2 -> (S bsl 70) + N
    end;
key(floats, S, N) -> S / 1000 - N * 3.5;
key(binaries, S, N) ->
    Len = S rem 30,
    case N rem 4 of
        0 -> <<S:(8 * Len)>>;
        _ -> <<S:(8 * Len + N rem 8)>>
    end;
key(lists, S, N) ->
    case N rem 4 of
        0 -> integer_to_list(S);
        1 -> [S rem 300, N | S rem 7];            % an improper list
        2 -> [1, 2, [3, S rem 256], 1000, N];
        3 -> lists:seq(0, N rem 20)
    end;
key(tuples, S, N) -> {S rem 100, {N, [S rem 256]}, <<N:16>>, 1.5};
key(mixed, S, N) ->
    key(lists:nth(N rem 6 + 1, [ints, bigints, floats, binaries, lists, tuples]), S, N).
