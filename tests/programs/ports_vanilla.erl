%% Ports on the vanilla (file) driver (runtime-erl/xbeam_port.erl):
%% open_port on a file name writes it, reads it back as messages; bad
%% arguments, closed ports, is_port, ports/0, port_info, the term order.
-module(ports_vanilla).
-export([main/0]).
main() ->
    logger:set_primary_config(level, none),  % not erl's reports of bad output
    F = "./xbeam_ports_vanilla.txt",        % erl writes in its working directory
    file:delete(F),
    P = open_port(F, [out]),
    R1 = [is_port(P), lists:member(P, erlang:ports()),
          erlang:port_info(P, connected) =:= {connected, self()},
          element(1, erlang:port_info(P, id)) =:= id,
          lists:sort([K || {K, _} <- erlang:port_info(P)])],
    R2 = [port_command(P, "hello "), port_command(P, [<<"wor">>, $l | <<"d">>]),
          erlang:port_command(P, <<"\n">>, [nosuspend])],
    Bad = [catch port_command(P, X) || X <- [xxx, [1 | a], [256], fun() -> 1 end]]
        ++ [catch erlang:port_command(P, "x", O) || O <- [[bogus], [force], bogus]],
    timer:sleep(50),
    R3 = file:read_file(F),
    R4 = [port_close(P), erlang:port_info(P), erlang:port_info(P, id), lists:member(P, erlang:ports()),
          reason(catch port_close(P)), reason(catch port_command(P, "more"))],
    %% The order: numbers < atoms < refs < funs < ports < pids < tuples.
    Fun = fun() -> ok end,
    R5 = [make_ref() < P, Fun < P, P < self(), P < {}, a < P, <<>> > P],
    Q = open_port(list_to_atom(F), [in, eof, binary]),
    R6 = receive {Q, {data, D}} -> D after 1000 -> timeout end,
    R7 = receive {Q, eof} -> eof after 1000 -> timeout end,
    R8 = [port_command(Q, "x"), erlang:port_info(Q), reason(catch port_close(Q))],
    R9 = [catch open_port(X, Y) || {X, Y} <- [{F, bad}, {F, [bogus]}, {{spawn}, []}, {42, []},
                                                {"./xbeam_ports_vanilla_none", [in]}]],
    Pid = spawn(fun() -> receive {go, To} -> To ! {opened, open_port(F, [out])} end end),
    Pid ! {go, self()},
    Owned = receive {opened, O} -> O end,
    timer:sleep(50),
    R10 = erlang:port_info(Owned),
    file:delete(F),
    io:format("~p~n", [[R1, R2, [reason(B) || B <- Bad], R3, R4, R5, R6, R7, R8,
                        [reason(E) || E <- R9], R10]]).

reason({'EXIT', {Reason, [{M, F, A, _} | _]}}) -> {Reason, M, F, length(A)};
reason(Other) -> Other.
