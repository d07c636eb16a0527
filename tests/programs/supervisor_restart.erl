-module(supervisor_restart).
-behaviour(supervisor).
-export([main/0, init/1, start_worker/0, handle_call/3, handle_cast/2]).

%% A supervisor restarts a gen_server that crashes; the crash reports go
%% to the logger, which this program turns off so that stdout is only its
%% own lines under erl too.
main() ->
    logger:set_primary_config(level, none),
    {ok, Sup} = supervisor:start_link({local, the_sup}, ?MODULE, []),
    Pid1 = whereis(worker),
    io:format("worker running: ~p~n", [is_pid(Pid1)]),
    io:format("call: ~p~n", [gen_server:call(worker, ping)]),
    Ref = monitor(process, Pid1),
    gen_server:cast(worker, crash),
    receive {'DOWN', Ref, process, Pid1, Reason} -> io:format("worker died: ~p~n", [element(1, Reason)]) end,
    wait_restart(Pid1),
    Pid2 = whereis(worker),
    io:format("restarted as a new process: ~p~n", [is_pid(Pid2) andalso Pid2 =/= Pid1]),
    io:format("call again: ~p~n", [gen_server:call(worker, ping)]),
    io:format("children: ~p~n", [[{Id, Type} || {Id, _, Type, _} <- supervisor:which_children(Sup)]]),
    io:format("counts: ~p~n", [supervisor:count_children(Sup)]),
    unlink(Sup),
    SRef = monitor(process, Sup),
    exit(Sup, shutdown),
    receive {'DOWN', SRef, process, Sup, SR} -> io:format("supervisor stopped: ~p~n", [SR]) end,
    io:format("worker gone: ~p~n", [whereis(worker)]),
    ok.

wait_restart(Old) ->
    case whereis(worker) of
        Old -> timer:sleep(1), wait_restart(Old);
        undefined -> timer:sleep(1), wait_restart(Old);
        _ -> ok
    end.

%% init/1 serves both behaviours: the worker's and the supervisor's.
init(worker) ->
    {ok, 0};
init([]) ->
    {ok, {#{strategy => one_for_one, intensity => 3, period => 5},
          [#{id => worker, start => {?MODULE, start_worker, []}}]}}.

start_worker() -> gen_server:start_link({local, worker}, ?MODULE, worker, []).

handle_call(ping, _From, N) -> {reply, {pong, N}, N + 1}.
handle_cast(crash, N) -> {noreply, N div 0}.
