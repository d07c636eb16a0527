-module(statem_event).
-behaviour(gen_statem).
-export([main/0, init/1, callback_mode/0, locked/3, open/3]).
-export([handle_event/2, handle_call/2]).

%% A gen_statem (a code lock) and a gen_event manager with a handler:
%% this module is the callback module of both.
main() ->
    {ok, _} = gen_statem:start_link({local, lock}, ?MODULE, [1, 2, 3], []),
    io:format("push 1: ~p~n", [gen_statem:call(lock, {button, 1})]),
    io:format("push 2: ~p~n", [gen_statem:call(lock, {button, 2})]),
    io:format("push 3: ~p~n", [gen_statem:call(lock, {button, 3})]),
    io:format("state: ~p~n", [gen_statem:call(lock, state)]),
    timer:sleep(60),
    io:format("state after the timeout: ~p~n", [gen_statem:call(lock, state)]),
    ok = gen_statem:stop(lock),
    {ok, Mgr} = gen_event:start_link(),
    ok = gen_event:add_handler(Mgr, ?MODULE, []),
    gen_event:notify(Mgr, {note, one}),
    gen_event:sync_notify(Mgr, {note, two}),
    io:format("handler saw: ~p~n", [gen_event:call(Mgr, ?MODULE, notes)]),
    io:format("handlers: ~p~n", [gen_event:which_handlers(Mgr)]),
    ok = gen_event:stop(Mgr),
    ok.

%% init/1 for both: the event handler's ([]) and the state machine's (the code).
init([]) -> {ok, []};
init(Code) -> {ok, locked, {Code, []}}.
callback_mode() -> state_functions.

locked({call, From}, {button, B}, {Code, Sofar}) ->
    case Sofar ++ [B] of
        Code -> {next_state, open, {Code, []}, [{reply, From, opened}, {state_timeout, 50, lock}]};
        New -> {keep_state, {Code, New}, [{reply, From, {locked, length(New)}}]}
    end;
locked({call, From}, state, Data) ->
    {keep_state, Data, [{reply, From, locked}]}.

open(state_timeout, lock, Data) -> {next_state, locked, Data};
open({call, From}, state, Data) -> {keep_state, Data, [{reply, From, open}]};
open({call, From}, {button, _}, Data) -> {keep_state, Data, [{reply, From, already_open}]}.

handle_event({note, N}, Notes) -> {ok, [N | Notes]}.
handle_call(notes, Notes) -> {ok, lists:reverse(Notes), Notes}.
