-module(gen_server_counter).
-behaviour(gen_server).
-export([main/0, start_link/0, init/1, handle_call/3, handle_cast/2, handle_info/2, terminate/2]).

start_link() -> gen_server:start_link({local, counter}, ?MODULE, 0, []).

init(N) -> {ok, N}.
handle_call(get, _From, N) -> {reply, N, N};
handle_call({add, K}, _From, N) -> {reply, ok, N + K}.
handle_cast(reset, _N) -> {noreply, 0}.
handle_info(_Msg, N) -> {noreply, N}.
terminate(_Reason, _N) -> ok.

main() ->
    {ok, Pid} = start_link(),
    io:format("started: ~p~n", [is_pid(Pid)]),
    ok = gen_server:call(counter, {add, 5}),
    ok = gen_server:call(counter, {add, 7}),
    io:format("count: ~p~n", [gen_server:call(counter, get)]),
    gen_server:cast(counter, reset),
    io:format("after reset: ~p~n", [gen_server:call(counter, get)]),
    counter ! hello,
    ok = gen_server:stop(counter),
    io:format("stopped: ~p~n", [whereis(counter)]).
