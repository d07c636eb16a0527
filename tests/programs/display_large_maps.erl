%% erlang:display/1 of maps above 32 keys against erl: erts prints them as
%% the hash trie they are (#<Bitmap>{...} with <Bitmap>{...} nodes and
%% [Key|Value] leaves).  Keys here hash alike in xbeam and erl (numbers,
%% binaries, lists and tuples of them; atoms hash by xbeam's own words);
%% large maps nested in small ones, in lists, tuples, keys and values, and
%% values that are lists (a leaf [K|"abc"] prints as the list it is).
-module(display_large_maps).
-export([main/0]).

main() ->
    Ints = maps:from_list([{N, N * 2} || N <- lists:seq(1, 33)]),
    erlang:display(Ints),
    erlang:display(maps:from_list([{N, N} || N <- lists:seq(-500, 500, 7)])),
    erlang:display(maps:from_list([{float(N) / 3, <<N>>} || N <- lists:seq(1, 60)])),
    erlang:display(maps:from_list([{integer_to_binary(N), "abc"} || N <- lists:seq(1, 40)])),
    erlang:display(maps:from_list([{{N, [N]}, [N | N]} || N <- lists:seq(1, 50)])),
    erlang:display(maps:from_list([{N bsl 70, N} || N <- lists:seq(1, 34)])),
    erlang:display(#{small => Ints, list => [Ints, 1], tuple => {Ints}}),
    erlang:display(maps:from_list([{Ints, 1} | [{N, Ints} || N <- lists:seq(1, 35)]])),
    erlang:display(maps:from_list([{N, N} || N <- lists:seq(1, 32)])),
    erlang:display(maps:from_list([{N, N} || N <- lists:seq(1, 1000)])),
    ok.
