%% runtime-erl/xbeam_app.erl — application's environment, standing in for
%% kernel's application controller (which needs ets and a process tree
%% that an xbeam image does not start).  emitter/bifs.ts sends
%% application:get_env/1,2,3, set_env/3,4, unset_env/2,3 and
%% get_application/0,1 here, and start/stop: an image starts no
%% applications, so kernel and stdlib count as running and any other
%% cannot be started.  The environment lives in persistent_term.
-module(xbeam_app).
-export([get_env/1, get_env/2, get_env/3, set_env/3, set_env/4, unset_env/2, unset_env/3,
         get_application/0, get_application/1,
         start/1, start/2, ensure_started/1, ensure_started/2,
         ensure_all_started/1, ensure_all_started/2, stop/1]).

key(App, Par) -> {?MODULE, App, Par}.

get_env(_Par) -> undefined.

get_env(App, Par) ->
    case persistent_term:get(key(App, Par), '$xbeam_none') of
        '$xbeam_none' -> undefined;
        Value -> {ok, Value}
    end.

get_env(App, Par, Default) ->
    case get_env(App, Par) of
        {ok, Value} -> Value;
        undefined -> Default
    end.

set_env(App, Par, Value) -> set_env(App, Par, Value, []).
set_env(App, Par, Value, _Opts) -> persistent_term:put(key(App, Par), Value), ok.

unset_env(App, Par) -> unset_env(App, Par, []).
unset_env(App, Par, _Opts) -> persistent_term:erase(key(App, Par)), ok.

%% No application is running in an image.
get_application() -> undefined.
get_application(_PidOrModule) -> undefined.

start(App) -> start(App, temporary).
start(App, _Type) when App =:= kernel; App =:= stdlib -> {error, {already_started, App}};
start(App, _Type) -> {error, {not_supported, App}}.

ensure_started(App) -> ensure_started(App, temporary).
ensure_started(App, Type) ->
    case start(App, Type) of
        {error, {already_started, App}} -> ok;
        Error -> Error
    end.

ensure_all_started(App) -> ensure_all_started(App, temporary).
ensure_all_started(App, Type) ->
    case ensure_started(App, Type) of
        ok -> {ok, []};
        {error, Reason} -> {error, {App, Reason}}
    end.

stop(App) -> {error, {not_started, App}}.
