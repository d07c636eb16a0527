%% term_to_binary of local funs nested in each other's environments
%% (NEW_FUN_EXT starts with its own size, which counts the funs inside it:
%% runtime-erl/xbeam_etf.erl sizes them in one walk), in lists, tuples and
%% maps, read back with binary_to_term.
-module(etf_nested_funs).
-export([main/0]).

main() ->
    lists:foreach(fun(N) ->
                          T = lists:foldl(fun(E, A) -> fun() -> {E, A} end end, [], lists:seq(1, N)),
                          B = term_to_binary(T),
                          T2 = binary_to_term(B),
                          io:format("~p ~p ~p ~p~n", [N, byte_size(B), T2 =:= T, unwind(T2, 0)])
                  end, [1, 2, 10, 3000]),
    F = fun(X) -> X + 1 end,
    Mixed = [F, {F, #{k => F}}, [fun() -> F end | fun() -> [F] end]],
    B = term_to_binary(Mixed),
    io:format("~p ~p ~p~n", [byte_size(B), binary_to_term(B) =:= Mixed, erlang:external_size(Mixed) >= byte_size(B)]),
    io:format("~p~n", [[byte_size(term_to_binary(X)) || X <- [1, [], <<>>, "ab", {}, #{}, 1.5]]]).

%% The innermost E after following the environments to the bottom.
unwind(F, Acc) when is_function(F) ->
    {E, A} = F(),
    unwind(A, Acc + E);
unwind([], Acc) -> Acc.
