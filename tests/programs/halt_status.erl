-module(halt_status).
-export([main/0]).

main() ->
    erlang:display(before_halt),
    erlang:halt(3),
    erlang:display(not_reached).
