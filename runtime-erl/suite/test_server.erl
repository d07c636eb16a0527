%% runtime-erl/suite/test_server.erl — the part of test_server that test
%% suites call (?config, ?CT_PEER and helpers), for xbeam_ct.  An image is
%% one node: starting a peer node exits with {skip, ...}, which skips the
%% case, as the callers match {ok, Peer, Node} on the result.
-module(test_server).
-export([lookup_config/2, start_peer/3, start_peer/5, peer_name/2,
         timetrap/1, timetrap_cancel/1, timetrap_cancel/0, timetrap_scale_factor/0,
         sleep/1, seconds/1, minutes/1, hours/1, do_times/2, do_times/3,
         timecall/3, is_debug/0, is_asan/0, is_valgrind/0, is_cover/0,
         is_native/1, comment/1, fail/0, fail/1, format/1, format/2, format/3,
         adjusted_sleep/1, os_type/0]).

lookup_config(Key, Config) ->
    case lists:keyfind(Key, 1, Config) of
        {Key, Value} -> Value;
        false ->
            io:format("Could not find element ~p in Config.~n", [Key]),
            undefined
    end.

start_peer(_, _, _) -> exit({skip, "xbeam: no peer nodes in an image"}).
start_peer(_, _, _, _, _) -> exit({skip, "xbeam: no peer nodes in an image"}).

peer_name(Module, TestCase) ->
    list_to_atom(lists:concat([Module, "-", TestCase, "-", erlang:unique_integer([positive])])).

timetrap(Time) -> ct:timetrap(Time), make_ref().
timetrap_cancel(_Handle) -> ok.
timetrap_cancel() -> ok.
timetrap_scale_factor() -> 1.

sleep(infinity) -> receive after infinity -> ok end;
sleep(Ms) -> timer:sleep(Ms).
adjusted_sleep(Ms) -> sleep(Ms).

seconds(N) -> N * 1000.
minutes(N) -> N * 60000.
hours(N) -> N * 3600000.

do_times(0, _Fun) -> ok;
do_times(N, Fun) -> Fun(), do_times(N - 1, Fun).
do_times(0, _M, _F, _A) -> ok;
do_times(N, M, F, A) -> apply(M, F, A), do_times(N - 1, M, F, A).
do_times(N, M, F) -> do_times(N, M, F, []).

%% {Seconds, Result}.
timecall(M, F, A) ->
    T0 = erlang:monotonic_time(microsecond),
    Result = apply(M, F, A),
    T1 = erlang:monotonic_time(microsecond),
    {(T1 - T0) / 1000000, Result}.

is_debug() -> false.
is_asan() -> false.
is_valgrind() -> false.
is_cover() -> false.
is_native(_Module) -> false.

comment(Comment) -> ct:comment(Comment).

fail() -> exit(suite_failed).
fail(Reason) -> exit({suite_failed, Reason}).

format(Format) -> format(Format, []).
format(Format, Args) -> io:format(Format, Args).
format(_Detail, Format, Args) -> io:format(Format, Args).

os_type() -> {unix, xbeam}.
