%% Term order of maps: by size, then by keys in map-key order (an integer
%% before any float, so #{1 => a} < #{1.0 => a}, also inside keys that are
%% tuples or maps), then by values in ordinary term order (1 == 1.0).
%% And {badmap, M} / {badkey, K} raised by map_get and friends in many
%% processes at once stay each process's own.
-module(map_compare).
-export([main/0]).

main() ->
    Maps = [#{1 => a}, #{1.0 => a}, #{-3 => 4}, #{-3.0 => 4}, #{a => 1}, #{a => 1.0},
            #{{1} => x}, #{{1.0} => x}, #{#{1 => 2} => k}, #{#{1.0 => 2} => k},
            #{1 => a, 2 => b}, #{1 => a, 2.0 => b}, #{1.0 => a, 2 => b}, #{}],
    io:format("~w~n", [lists:sort(Maps)]),
    io:format("~w~n", [[{A < B, A == B, A =:= B} || A <- Maps, B <- Maps, A =/= B, map_size(A) =:= 1]]),
    io:format("~w~n", [[#{1 => a} == #{1.0 => a}, #{a => 1} == #{a => 1.0}, #{a => 1} =:= #{a => 1.0},
                        #{[1] => a} < #{[1.0] => a}, #{a => [1]} < #{a => [1.0]}]]),
    Self = self(),
    Pids = [spawn(fun() -> Self ! {self(), errors(I)} end) || I <- lists:seq(1, 20)],
    io:format("~w~n", [[receive {P, R} -> R end || P <- Pids]]).

errors(I) ->
    [begin
         Got = [catch map_get(I, id(I)), catch maps:get(I, id(#{})), catch is_map_key(I, id(I)),
                catch map_size(id([I]))],
         erlang:yield(),
         [R || {'EXIT', {R, _}} <- Got]
     end || _ <- lists:seq(1, 5)].

id(X) -> X.
