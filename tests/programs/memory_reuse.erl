%% Memory freed in pieces comes back whole: a hundred binaries of a
%% megabyte each, dropped, then one of 50 MB, three times over.  In a small
%% image (the linux target's 256 MiB) the large one fits only where the
%% small ones were, merged again (runtime-asm/start.asm's buddy blocks).
-module(memory_reuse).
-export([main/0]).

main() ->
    [pass(R) || R <- lists:seq(1, 3)],
    ok.

pass(R) ->
    io:format("~p: ~p~n", [R, small(R)]),
    erlang:garbage_collect(),
    io:format("~p: ~p~n", [R, large(R)]).

small(R) ->
    Small = [binary:copy(<<I, R>>, 500000) || I <- lists:seq(1, 100)],
    {lists:sum([byte_size(B) || B <- Small]), length(Small)}.

large(R) ->
    Big = binary:copy(<<R>>, 50000000),
    {byte_size(Big), binary:last(Big)}.
