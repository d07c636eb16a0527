%% erlang:external_size/1,2 equals the size of term_to_binary's result,
%% computed without building it: a term that shares a part many times over
%% ([T | T], doubled 22 times) is measured in a moment.  Not here: local
%% funs, whose size BEAM overestimates by 3 bytes.
-module(external_size).
-export([main/0]).

main() ->
    Ts = [a, 1, -5, 1 bsl 80, 1.5, "abc", [1, 2 | x], {a, [b, "c"], <<1,2,3>>}, <<1:3>>, #{a => [1.0]},
          self(), make_ref(), fun lists:map/2, lists:seq(1, 70000), list_to_tuple(lists:seq(1, 300)), 'héllo',
          ["abc" | "abc"], [[1000] | [1000]], [[] | []], [[[a] | [a]] | [[a] | [a]]], [<<1>> | <<1>>]],
    io:format("~p~n", [[erlang:external_size(T) || T <- Ts]]),
    io:format("~p~n", [[erlang:external_size(T, [{minor_version, 0}]) || T <- Ts]]),
    io:format("~p~n", [[erlang:external_size(T) =:= byte_size(term_to_binary(T)) || T <- Ts]]),
    io:format("~p~n", [doubled(16#11111111111111117777777777777777888889999, 0, 16#FFFFFFF)]),
    ok.

doubled(Term, Size0, Limit) when Size0 < Limit ->
    Size = erlang:external_size(Term),
    true = Size > Size0,
    doubled([Term | Term], Size, Limit);
doubled(_, Size, _) -> Size.
