%% Stack traces: the frames BEAM records for each way of raising, their
%% file and line, BIF frames with their arguments and error_info, catch,
%% re-raises, the backtrace_depth flag, a crashed process's exit reason.
%% Frames of the boot code (erl's init, xbeam's entry) are left out.  Not
%% yet: the cause in a bit-syntax construction failure's error_info.
-module(stacktraces).
-export([main/0, f/1, bar/1]).

main() ->
    Cases = [fun() -> badm(a) end,
             fun() -> X = id(a), X + 1 end,
             fun() -> atom_to_list(id(1)) end,
             fun() -> lists:reverse(id(a)) end,
             fun() -> f(2) end,
             fun() -> g(b) end,
             fun() -> nomod:nofun(1, 2) end,
             fun() -> throw(x) end,
             fun() -> erlang:error(y, [1]) end,
             fun() -> erlang:error(y, [1, 2], [{error_info, #{module => foo}}]) end,
             fun() -> element(5, id({a})) end,
             fun() -> (id(fun(_) -> ok end))(1, 2) end,
             fun() -> case id(3) of 1 -> ok end end,
             fun() -> exit(z) end,
             fun() -> foo(id(1)) end,
             fun() -> [bar(id(1))] end,
             fun() -> hd(id([])) end,
             fun() -> id(a) * 2 end,
             fun() -> id(a) - 1 end,
             fun() -> 1 div id(0) end,
             fun() -> lists:keyfind(a, x, []) end,
             fun() -> erlang:raise(error, r, [{a, b, 1, []}]) end,
             fun() -> #{a := _} = id(#{}) end,
             fun() -> {'EXIT', {q, S}} = (catch error(q)), {q, mine(S)} end,
             fun() -> rethrow(fun() -> throw(arne) end) end,
             fun() -> (id(fun(M, F, A) -> apply(M, F, A) end))(lists, keyfind, [a, x, []]) end,
             fun() -> apply(lists, member, [a, id(b)]) end,
             fun() -> (id(fun lists:reverse/2))(a, b) end,
             fun() -> erlang:apply(id(fun erlang:atom_to_list/1), [1]) end,
             fun() -> apply(id(lists), seq, [a, 1]) end],
    [t(F) || F <- Cases],
    erlang:system_flag(backtrace_depth, 2),
    t(fun() -> deep(5) end),
    erlang:system_flag(backtrace_depth, 8),
    process_flag(trap_exit, true),
    Pid = spawn_link(fun() -> badm(c) end),
    receive {'EXIT', Pid, {R, S}} -> io:format("exit ~p~n~p~n", [R, mine(S)]) end,
    ok.

t(F) ->
    try F() of
        V -> io:format("value ~p~n", [V])
    catch C:R:S -> io:format("~p:~p~n~p~n", [C, R, mine(S)])
    end.

%% This module's frames and BIF frames: not those of the code that runs
%% main/0 (erl's init and erl_eval, xbeam's entry).
mine(S) -> [Fr || {M, _, _, _} = Fr <- S, lists:member(M, [?MODULE, erlang, lists, a])].

id(X) -> X.
badm(X) -> {b} = id(X), ok.
f(1) -> ok.
g(X) -> Y = f(X), {Y}.
foo(X) -> atom_to_list(X).
bar(X) -> {ok, _} = id(X), atom_to_list(X).
deep(0) -> erlang:error(deep);
deep(N) -> [deep(N - 1) | id(N)].
rethrow(F) ->
    try F() catch throw:Reason:Stack -> erlang:raise(error, Reason, Stack) end.
