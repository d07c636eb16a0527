-module(deep_terms).
-export([main/0]).

%% Deeply nested terms through the runtime's recursive routines (copying a
%% message, comparing, printing), in processes whose stacks start small.
main() ->
    Parent = self(),
    Deep = nest(50000),
    Child = spawn(fun() ->
                          receive {From, T} ->
                                  From ! {back, T, depth(T, 0), T =:= nest(50000), T < nest(50001)}
                          end
                  end),
    Child ! {Parent, Deep},
    receive
        {back, T, D, Same, Less} ->
            io:format("depth ~p, same ~p, less ~p, equal after the round trip ~p~n",
                      [D, Same, Less, T =:= Deep])
    end,
    Wide = list_to_tuple([nest(N rem 50) || N <- lists:seq(1, 2000)]),
    Echo = spawn(fun() -> receive {From2, W} -> From2 ! W end end),
    Echo ! {self(), Wide},
    receive W2 -> io:format("wide tuple back intact: ~p~n", [W2 =:= Wide]) end,
    io:format("~w~n", [nest(300)]),
    io:format("~w~n", [nest(100)]),
    ok.

nest(0) -> [];
nest(N) -> [nest(N - 1)].

depth([], D) -> D;
depth([T], D) -> depth(T, D + 1).
