%% runtime-erl/xbeam_app.erl — application's environment, standing in for
%% kernel's application controller (which needs ets and a process tree
%% that an xbeam image does not start).  emitter/bifs.ts sends
%% application:get_env/1,2,3, set_env/3,4, unset_env/2,3 and
%% get_application/0,1 here.  The environment lives in persistent_term.
-module(xbeam_app).
-export([get_env/1, get_env/2, get_env/3, set_env/3, set_env/4, unset_env/2, unset_env/3,
         get_application/0, get_application/1]).

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
