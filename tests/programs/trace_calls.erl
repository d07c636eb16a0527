%% Call tracing (runtime-erl/xbeam_trace.erl, runtime-asm/trace.asm):
%% trace_pattern/3 counts and rules (wildcards, the last rule wins, false),
%% trace/3 on self and on another process, return_trace through body and
%% tail recursion, no return_from when a traced call raises, funs, the
%% tracer's message order, bad arguments.
-module(trace_calls).
-export([main/0, ext/1, worker/0]).
main() ->
    Self = self(),
    Tracer = spawn(fun() -> collect(Self, []) end),
    N1 = erlang:trace_pattern({?MODULE, '_', '_'}, [{'_', [], [{return_trace}]}], [local]),
    N2 = erlang:trace_pattern({?MODULE, collect, 2}, false, [local]),
    N3 = erlang:trace_pattern({?MODULE, count, '_'}, true, [local]),
    N4 = erlang:trace_pattern({?MODULE, nothing_like_it, 0}, true, [local]),
    T1 = erlang:trace(self(), true, [call, {tracer, Tracer}]),
    R1 = fact(3) + ?MODULE:ext(4),
    R2 = count(3, 0),
    R3 = reason(fun() -> fails(x) end),
    F = fun(X) -> twice(X) end,
    R4 = F(5),
    T2 = erlang:trace(self(), false, [call]),
    R5 = fact(2),
    %% Another process, traced from here.
    W = spawn(?MODULE, worker, []),
    T3 = erlang:trace(W, true, [call, {tracer, Tracer}]),
    W ! {go, self()},
    R6 = receive {worked, V} -> V end,
    Ref = erlang:trace_delivered(W),
    receive {trace_delivered, W, Ref} -> ok end,
    Tracer ! {done, self()},
    Msgs = receive {msgs, M} -> M end,
    Clear = erlang:trace_pattern({'_', '_', '_'}, false, [local]) > 0,
    Bad = [reason(fun() -> erlang:trace_pattern(A, B, C) end)
           || {A, B, C} <- [{x, true, []}, {{?MODULE, f, -1}, true, []}, {{?MODULE, f, 1}, bogus, []},
                            {{'_', f, '_'}, true, []}, {{?MODULE, '_', 1}, true, []},
                            {{?MODULE, f, 1}, true, [bogus | x]}]]
        ++ [reason(fun() -> erlang:trace(A, B, C) end)
            || {A, B, C} <- [{self(), maybe, [call]}, {self(), true, [bogus]}, {x, true, [call]},
                             {self(), true, call}]],
    io:format("~p~n", [[N1, N2, N3, N4, T1, R1, R2, R3, R4, T2, R5, T3, R6, Clear, Bad]]),
    [io:format("~p~n", [who(Msg, W)]) || Msg <- Msgs],
    %% Every function traced: BIFs that xbeam writes in Erlang do not show
    %% as calls of its own modules.
    Tracer2 = spawn(fun() -> collect(Self, []) end),
    erlang:trace_pattern({'_', '_', '_'}, true, [local]),
    erlang:trace(self(), true, [call, {tracer, Tracer2}]),
    _ = erlang:system_info(wordsize),
    _ = erlang:phash2({a, b}),
    erlang:trace(self(), false, [call]),
    erlang:trace_pattern({'_', '_', '_'}, false, [local]),
    Tracer2 ! {done, self()},
    All = receive {msgs, M2} -> M2 end,
    io:format("~p~n", [[Mod || {trace, _, call, {Mod, _, _}} <- All, lists:prefix("xbeam", atom_to_list(Mod))]]),
    ok.

fact(0) -> 1;
fact(N) -> N * fact(N - 1).
ext(X) -> X + 1.
count(0, Acc) -> Acc;
count(N, Acc) -> count(N - 1, Acc + N).
fails(X) -> error({bad, X}).
twice(X) -> 2 * X.

worker() ->
    receive {go, P} -> P ! {worked, fact(2)} end.

collect(P, Acc) ->
    receive
        {done, P} -> P ! {msgs, lists:reverse(Acc)};
        M -> collect(P, [M | Acc])
    end.

%% Pids are not the same under erl: name them.
who(Msg, W) ->
    P = element(2, Msg),
    setelement(2, Msg, if P =:= W -> worker; P =:= self() -> main; true -> other end).

reason(F) ->
    try F() of V -> {value, V} catch error:R:S -> {R, element(2, hd(S)), arity(element(3, hd(S)))} end.

arity(A) when is_integer(A) -> A;
arity(Args) -> length(Args).
