%% erlang:fun_info(F, refc): one for the code and one per live fun object
%% of the same lambda, in any process (xbeam:fun_refc/1 in
%% runtime-asm/gc.asm).  Only counts BEAM and xbeam agree on: after a
%% collection, with every other process finished or waiting.
-module(fun_refc).
-export([main/0]).
main() ->
    F1 = adder(1),
    R1 = refc(F1),
    Fs = [adder(N) || N <- lists:seq(2, 11)],
    R2 = refc(F1),
    Self = self(),
    Pid = spawn(fun() -> Copy = hd(Fs), Self ! {counted, refc(Copy)}, receive stop -> Copy(0) end end),
    R3 = receive {counted, C} -> C end,
    Pid ! stop,
    wait_gone(Pid),
    R4 = refc(F1),
    Sum = lists:sum([F(1) || F <- Fs]),
    true = erlang:garbage_collect(),
    R5 = refc(F1),
    Other = fun() -> ok end,
    R6 = [refc(Other), erlang:fun_info(fun lists:map/2, refc), first_frame(catch erlang:fun_info(make_ref(), refc))],
    %% Garbage on another process's heap counts until it is collected.
    Holder = spawn(fun() -> Self ! {made, length([adder(N) || N <- lists:seq(1, 5)])},
                            receive stop -> ok end end),
    R7 = receive {made, M} -> M end,
    R8 = refc(F1),
    R9 = [erlang:garbage_collect(Holder), refc(F1)],
    Holder ! stop,
    io:format("~p~n", [[R1, R2, R3, R4, Sum, R5, F1(0), R6, R7, R8, R9]]).

adder(N) -> fun(X) -> X + N end.

refc(F) -> {refc, N} = erlang:fun_info(F, refc), N.

wait_gone(Pid) ->
    case is_process_alive(Pid) of
        true -> receive after 1 -> wait_gone(Pid) end;
        false -> receive after 1 -> ok end
    end.

first_frame({'EXIT', {Reason, [{M, F, A, _} | _]}}) -> {Reason, M, F, length(A)}.
