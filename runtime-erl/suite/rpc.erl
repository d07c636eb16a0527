%% runtime-erl/suite/rpc.erl — remote calls to the only node there is: the
%% local node runs the call; any other node is down.
-module(rpc).
-export([call/4, call/5]).

call(Node, M, F, A) -> call(Node, M, F, A, infinity).

call(Node, M, F, A, _Timeout) when Node =:= node() ->
    try apply(M, F, A)
    catch
        throw:Thrown -> Thrown;
        exit:Reason -> {badrpc, {'EXIT', Reason}};
        error:Reason:Stack -> {badrpc, {'EXIT', {Reason, Stack}}}
    end;
call(_Node, _M, _F, _A, _Timeout) ->
    {badrpc, nodedown}.
