-module(processes).
-export([main/0, echo/0, ring_node/1]).

main() ->
    %% Ping-pong with a spawned echo server.
    Echo = spawn(?MODULE, echo, []),
    Echo ! {self(), hello},
    receive {Echo, R1} -> io:format("echo: ~p~n", [R1]) end,
    [Echo ! {self(), N} || N <- lists:seq(1, 5)],
    io:format("replies: ~p~n", [[receive {Echo, X} -> X end || _ <- lists:seq(1, 5)]]),
    %% Selective receive keeps the order of what it skips.
    self() ! {b, 1}, self() ! {a, 2}, self() ! {b, 3}, self() ! {a, 4},
    A1 = receive {a, V1} -> V1 end,
    B1 = receive {b, V2} -> V2 end,
    Rest = flush([]),
    io:format("selective: ~p ~p ~p~n", [A1, B1, Rest]),
    %% Timeouts.
    T0 = erlang:monotonic_time(millisecond),
    timeout = receive never -> got after 30 -> timeout end,
    Waited = erlang:monotonic_time(millisecond) - T0,
    io:format("after 30 waited at least 30 ms: ~p~n", [Waited >= 30]),
    none = receive _ -> some after 0 -> none end,
    %% Monitors.
    Ref = monitor(process, Echo),
    Echo ! stop,
    receive {'DOWN', Ref, process, Echo, Why} -> io:format("down: ~p~n", [Why]) end,
    Ref2 = monitor(process, Echo),
    receive {'DOWN', Ref2, process, Echo, Why2} -> io:format("down again: ~p~n", [Why2]) end,
    io:format("alive: ~p~n", [is_process_alive(Echo)]),
    Ref3 = monitor(process, spawn(fun() -> receive go -> ok end end)),
    true = demonitor(Ref3, [flush]),
    io:format("demonitored: ~p~n", [receive {'DOWN', Ref3, _, _, _} -> down after 10 -> quiet end]),
    %% Links and trap_exit, with several exit reasons.
    process_flag(trap_exit, true),
    [begin
         P = spawn_link(fun() -> exit(Reason) end),
         receive {'EXIT', P, Got} -> io:format("exit ~p~n", [Got]) end
     end || Reason <- [normal, shutdown, {custom, [1, 2]}, kill]],
    Crasher = spawn_link(fun() -> receive crash -> ok end end),
    exit(Crasher, kill),
    receive {'EXIT', Crasher, K} -> io:format("killed: ~p~n", [K]) end,
    %% A linked process that is not trapping exits dies with its partner.
    Parent = self(),
    Middle = spawn(fun() ->
                           Inner = spawn_link(fun() -> receive _ -> ok end end),
                           Parent ! {inner, Inner},
                           receive _ -> ok end
                   end),
    Inner = receive {inner, I} -> I end,
    MRef = monitor(process, Inner),
    exit(Middle, bye),
    receive {'DOWN', MRef, process, Inner, IR} -> io:format("inner: ~p~n", [IR]) end,
    %% Registered names.
    register(named, spawn(?MODULE, echo, [])),
    named ! {self(), via_name},
    receive {_, R2} -> io:format("named: ~p~n", [R2]) end,
    io:format("whereis: ~p ~p~n", [is_pid(whereis(named)), whereis(nobody)]),
    {'EXIT', {badarg, _}} = catch nobody ! msg,
    named ! stop,
    %% The process dictionary.
    undefined = put(k1, one),
    one = put(k1, uno),
    put(k2, two),
    io:format("dict: ~p ~p ~p~n", [get(k1), get(k2), get(k3)]),
    io:format("erase: ~p ~p~n", [erase(k1), get(k1)]),
    %% A ring of processes passing a token around.
    First = lists:foldl(fun(_, Next) -> spawn(?MODULE, ring_node, [Next]) end, self(), lists:seq(1, 1000)),
    First ! {token, 0},
    receive {token, Hops} -> io:format("ring: ~p hops~n", [Hops]) end,
    %% Messages carry copies of big terms.
    Big = lists:seq(1, 5000),
    Copier = spawn(fun() -> receive {From, L} -> From ! {sum, lists:sum(L), length(L)} end end),
    Copier ! {self(), Big},
    receive {sum, S, Len} -> io:format("sum ~p of ~p~n", [S, Len]) end,
    ok.

echo() ->
    receive
        {From, Msg} -> From ! {self(), Msg}, echo();
        stop -> ok
    end.

ring_node(Next) ->
    receive
        {token, N} -> Next ! {token, N + 1}
    end.

flush(Acc) ->
    receive M -> flush([M | Acc]) after 0 -> lists:reverse(Acc) end.
