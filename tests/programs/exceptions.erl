-module(exceptions).
-export([main/0]).

main() ->
    erlang:display(catch throw(ball)),
    %% (A caught error carries a stacktrace, which xbeam does not keep yet.)
    {'EXIT', {oops, _}} = (catch erlang:error(oops)),
    erlang:display(catch exit(bye)),
    erlang:display(catch 1 + 2),
    erlang:display([classify(F) || F <- [fun() -> throw(t) end, fun() -> erlang:error(e) end,
                                         fun() -> exit(x) end, fun() -> ok end,
                                         fun() -> {a} = id({b}) end, fun() -> id(1) + id(a) end,
                                         fun() -> no_such:function() end, fun() -> hd(id([])) end,
                                         fun() -> case id(3) of 4 -> four end end]]),
    erlang:display(nested(5)),
    erlang:display(try deep(1000) catch throw:{depth, N} -> {caught_at, N} end),
    erlang:display(after_test()),
    Result = try id(7) of
                 7 -> seven;
                 _ -> other
             catch _:_ -> caught
             end,
    erlang:display(Result),
    erlang:display(rethrow()),
    erlang:display(gc_in_handler(100)).

id(X) -> X.

classify(F) ->
    try F() of
        V -> {ok, V}
    catch
        throw:T -> {thrown, T};
        error:{badmatch, V} -> {badmatch, V};
        error:E -> {error, E};
        exit:X -> {exit, X}
    end.

nested(0) -> try throw(bottom) catch throw:B -> B end;
nested(N) -> try nested(N - 1) catch throw:X -> {outer, X} end.

deep(0) -> throw({depth, 0});
deep(N) -> [N | deep(N - 1)].

after_test() ->
    try throw(x) catch throw:x -> caught after erlang:display(cleanup) end.

rethrow() ->
    try
        try throw(inner) catch throw:inner -> throw(outer) end
    catch throw:O -> {rethrown, O}
    end.

gc_in_handler(0) -> 0;
gc_in_handler(N) ->
    try
        _ = lists_seq(1, 300),
        throw({n, N, lists_seq(1, 10)})
    catch throw:{n, M, L} when M =:= N -> length(L) + gc_in_handler(N - 1) - 10
    end.

lists_seq(A, B) when A > B -> [];
lists_seq(A, B) -> [A | lists_seq(A + 1, B)].
