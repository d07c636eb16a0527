%% tests/cmdline/show_args.erl — the command line reaches the program: as
%% the entry's argument (main/1, as `erl -run` passes it) and through init.
-module(show_args).
-export([main/1]).

main(Args) ->
    io:format("main/1 got ~p~n", [Args]),
    io:format("plain ~p~n", [init:get_plain_arguments()]),
    io:format("foo ~p~n", [init:get_argument(foo)]),
    io:format("bar ~p~n", [init:get_argument(bar)]),
    io:format("nope ~p~n", [init:get_argument(nope)]).
