-module(undef_call).
-export([main/0]).

main() ->
    erlang:display(calling),
    no_such_module:f(1, 2).
