%% ets:all/0 lists the tables there are: named ones by name, others by
%% reference; a deleted, renamed or orphaned table's entry goes or
%% changes.  (erl has tables of its own: only these ones are looked at.)
-module(ets_all).
-export([main/0]).
main() ->
    A = ets:new(xbeam_all_a, [named_table]),
    B = ets:new(xbeam_all_b, [set]),
    C = ets:new(xbeam_all_c, [bag, named_table, public]),
    Self = self(),
    Owner = spawn(fun() -> Self ! {made, ets:new(xbeam_all_d, [named_table])}, receive stop -> ok end end),
    D = receive {made, T} -> T end,
    Mine = fun() -> [X || X <- ets:all(), lists:member(X, [A, B, C, D, xbeam_all_e])] end,
    R1 = lists:sort(Mine()),
    true = ets:delete(A),
    R2 = lists:sort(Mine()),
    xbeam_all_e = ets:rename(C, xbeam_all_e),
    R3 = lists:sort(Mine()),
    Ref = monitor(process, Owner),
    Owner ! stop,
    receive {'DOWN', Ref, _, _, _} -> ok end,
    R4 = wait_gone(D, 100),
    io:format("~p~n", [[[is_reference(X) || X <- R1], [X || X <- R1, is_atom(X)],
                        [X || X <- R2, is_atom(X)], length(R2), [X || X <- R3, is_atom(X)], R4,
                        lists:member(B, ets:all())]]).

%% A table goes with its owner; BEAM may take a moment to remove it.
wait_gone(_, 0) -> still_there;
wait_gone(T, N) ->
    case lists:member(T, ets:all()) of
        true -> receive after 10 -> wait_gone(T, N - 1) end;
        false -> gone
    end.
