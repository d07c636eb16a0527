%% examples/hello.erl — the quick start's program: io:format through the
%% console io server, as in BEAM.
-module(hello).
-export([main/0]).

main() ->
    io:format("Hello, world! from ~p on ~p~n", [?MODULE, node()]).
