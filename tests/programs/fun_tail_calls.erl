%% A call of a fun in tail position is a tail call (BEAM's loader fuses
%% call_fun with the deallocate and return after it): a loop through funs
%% runs in constant stack.
-module(fun_tail_calls).
-export([main/0]).

main() ->
    Loop = fun Loop(0, Max) -> Max;
               Loop(N, Max) -> {stack_size, S} = process_info(self(), stack_size),
                               next(Loop, N - 1, max(S, Max))
           end,
    Max = Loop(100000, 0),
    io:format("~p~n", [Max < 100]),
    ok.

next(F, N, Max) ->
    put(f, F),
    G = get(f),                     % a fun the compiler cannot see
    G(N, Max).
