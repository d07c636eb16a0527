%% runtime-erl/suite/ct.erl — the part of common_test's ct module that
%% test suites call, for xbeam_ct (xbeam test-suite).
-module(ct).
-export([fail/1, fail/2, timetrap/1, sleep/1, comment/1, comment/2,
         log/1, log/2, log/3, log/4, log/5, pal/1, pal/2, pal/3, pal/4, pal/5,
         print/1, print/2, print/3, print/4, print/5,
         get_config/1, get_config/2, get_config/3, get_progname/0,
         get_status/0, abort_current_testcase/1]).

fail(Reason) -> exit({test_case_failed, Reason}).

fail(Format, Args) ->
    Reason = try lists:flatten(io_lib:format(Format, Args))
             catch _:_ -> {Format, Args}
             end,
    exit({test_case_failed, Reason}).

%% Restarts the calling case's timetrap (the runner keeps it).
timetrap(Time) ->
    case xbeam_ct:runner() of
        undefined -> ok;
        Runner -> Runner ! {xbeam_ct_timetrap, self(), Time}, ok
    end.

sleep({hours, N}) -> timer:sleep(N * 3600000);
sleep({minutes, N}) -> timer:sleep(N * 60000);
sleep({seconds, N}) -> timer:sleep(N * 1000);
sleep(Ms) -> timer:sleep(Ms).

comment(Comment) -> put(xbeam_ct_comment, Comment), ok.
comment(Format, Args) -> comment(lists:flatten(io_lib:format(Format, Args))).

%% log, pal and print all go to the case's group leader (stderr).
log(Format) -> out(Format, []).
log(X, Format) when is_list(Format) -> out(Format, []), log_x(X);
log(Format, Args) -> out(Format, Args).
log(_, Format, Args) -> out(Format, Args).
log(_, _, Format, Args) -> out(Format, Args).
log(_, _, Format, Args, _) -> out(Format, Args).

log_x(_) -> ok.

pal(Format) -> out(Format, []).
pal(X, Format) when is_list(Format), not is_list(X) -> out(Format, []);
pal(Format, Args) -> out(Format, Args).
pal(_, Format, Args) -> out(Format, Args).
pal(_, _, Format, Args) -> out(Format, Args).
pal(_, _, Format, Args, _) -> out(Format, Args).

print(Format) -> out(Format, []).
print(X, Format) when is_list(Format), not is_list(X) -> out(Format, []);
print(Format, Args) -> out(Format, Args).
print(_, Format, Args) -> out(Format, Args).
print(_, _, Format, Args) -> out(Format, Args).
print(_, _, Format, Args, _) -> out(Format, Args).

out(Format, Args) ->
    try io:format(Format ++ "~n", Args)
    catch _:_ -> io:format("~p ~p~n", [Format, Args])
    end,
    ok.

get_config(Key) -> get_config(Key, undefined).
get_config(_Key, Default) -> Default.
get_config(_Key, Default, _Opts) -> Default.

get_progname() -> "xbeam".

get_status() -> no_tests_running.

abort_current_testcase(Reason) -> exit({test_case_failed, Reason}).
