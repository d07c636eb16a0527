%% Running traces ({trace, Pid, out | in, MFA}) of a process whose BIFs
%% yield midway, as BEAM's do: list_to_binary/1 of a long list, with and
%% without an error at its end, and binary_to_term/1 of a large binary
%% with a bad atom at its end, are switched out in the functions BEAM's
%% C code traps to; the error, raised after that, has the BIF on top of
%% its stack trace.  Also a plain loop, which shows as itself.
-module(running_trace).
-export([main/0, loop/1]).

main() ->
    L = lists:duplicate(1000000, $a),
    L2B = {erts_internal, list_to_binary_continue, 1},
    run(list_to_binary, fun() -> byte_size(list_to_binary([L])) end, L2B),
    run(badarg, fun() -> list_to_binary([L, oops]) end, L2B),
    run(iolist_badarg, fun() -> iolist_to_binary([L | oops]) end, L2B),
    run(binary_to_term, fun() -> binary_to_term(bad_ext()) end, {erts_internal, binary_to_term_trap, 1}),
    run(loop, fun() -> ?MODULE:loop(200000) end, {?MODULE, loop, 1}),
    ok.

run(Name, F, Trap) ->
    Tracer = self(),
    {Pid, Mon} = spawn_monitor(fun() ->
        erlang:yield(),
        erlang:trace(self(), true, [running, {tracer, Tracer}]),
        R = try F() catch error:E:Stk -> {E, hd(Stk)} end,
        erlang:trace(self(), false, [running]),
        exit({done, R})
    end),
    R = receive {'DOWN', Mon, process, Pid, {done, Done}} -> Done;
                {'DOWN', Mon, process, Pid, Reason} -> {died, Reason}
        end,
    Yields = yields(Pid, Trap, 0),
    Result = case R of
                 {E, {M, Fn, [_ | _], _}} -> {E, M, Fn};
                 Other -> Other
             end,
    io:format("~p: ~p, yields in ~p: ~p~n", [Name, Result, Trap, Yields > 2]).

%% Out and in in pairs; those of the trap function counted.
yields(P, Trap, N) ->
    receive
        {trace, P, out, Trap} ->
            receive {trace, P, in, Trap} -> yields(P, Trap, N + 1) after 0 -> mismatch end;
        {trace, P, out, F} ->
            receive {trace, P, in, F} -> yields(P, Trap, N) after 0 -> mismatch end
    after 0 -> N
    end.

loop(0) -> ok;
loop(N) -> loop(N - 1).

%% A tuple of 2,000,000 atoms whose last atom's length runs past the end.
bad_ext() ->
    <<131, Atom/binary>> = term_to_binary(an_atom),
    list_to_binary([131, 105, <<2000000:32>>, binary:copy(Atom, 1999999), 100, 255, 255, "oops"]).
