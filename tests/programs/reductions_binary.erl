%% Building a binary costs reductions by its size (about one a kilobyte, as
%% BEAM counts them), and process_info(self(), reductions) includes the
%% running time slice.
-module(reductions_binary).
-export([main/0]).
main() ->
    TwoMeg = <<0:(2_000*1024)/unit:8>>,
    [io:format("~p~n", [reds(F) >= N]) || {N, F} <- [{2000, fun() -> <<0:8,TwoMeg/binary>> end},
        {4000, fun() -> <<0:8,TwoMeg/binary,TwoMeg/binary>> end}, {1000, fun() -> <<0:8,TwoMeg:(1000*1024)/binary>> end},
        {2500, fun() -> <<TwoMeg/binary,TwoMeg:(2000*1024)/binary>> end}]],
    {reductions, A} = process_info(self(), reductions), {reductions, B} = process_info(self(), reductions),
    io:format("~p~n", [B >= A]).
reds(Fun) ->
    receive after 1 -> ok end,
    {reductions, R0} = process_info(self(), reductions),
    _ = Fun(),
    {reductions, R1} = process_info(self(), reductions),
    R1 - R0.
