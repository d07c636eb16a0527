%% runtime-erl/suite/xbeam_ct.erl — a small common_test, run inside an
%% image by `xbeam test-suite`.
%%
%% In:  suite modules (compiled into the image), the root of their data
%%      directories in the image's file system.
%% Out: on stdout, one line per test case —
%%        Suite:Case ok | FAILED Reason | SKIPPED Reason
%%      then "N passed, N failed, N skipped"; the VM halts with 0 when
%%      nothing failed, else 1.  What the suites print goes to stderr.
%%
%% The rules are common_test's: all/0, groups/0 (a parallel group runs
%% sequentially), suite/0's timetrap, init/end per suite, group and case,
%% data_dir, priv_dir and tc_status in Config.  A case runs in its own
%% process, made with spawn_link (the runner traps exits).  Any return
%% value passes; {skip,R} or {skipped,R} returned, thrown or exited is a
%% skip; any other exception, a timetrap, or end_per_testcase returning
%% {fail,R} fails.  A crash in init_per_suite or init_per_group skips the
%% cases under it, as common_test's auto-skip does.
-module(xbeam_ct).
-export([main/2, main/3, runner/0]).

-define(RUNNER, xbeam_ct_runner).
-define(DEFAULT_TIMETRAP, 30 * 60 * 1000).

main(Suites, DataRoot) -> main(Suites, DataRoot, infinity).

%% Cap: no case's timetrap is longer than this (ms or infinity), so that a
%% case waiting for what never comes cannot hold a whole run up.
main(Suites, DataRoot, Cap) ->
    register(?RUNNER, self()),
    put(xbeam_ct_cap, Cap),
    process_flag(trap_exit, true),
    Sink = sink(),
    put(xbeam_ct_sink, Sink),
    Totals = lists:foldl(fun(Suite, Acc) -> add(Acc, suite(Suite, DataRoot)) end, {0, 0, 0}, Suites),
    {Passed, Failed, Skipped} = Totals,
    io:format("~w passed, ~w failed, ~w skipped~n", [Passed, Failed, Skipped]),
    erlang:halt(case Failed of 0 -> 0; _ -> 1 end).

%% The runner's pid, for ct:timetrap/1.
runner() -> whereis(?RUNNER).

add({A, B, C}, {D, E, F}) -> {A + D, B + E, C + F}.

%% What the suites print goes to stderr, through an io server of its own.
sink() ->
    Pid = spawn(fun() -> group_leader(self(), self()), sink_loop() end),
    Pid.

sink_loop() ->
    receive
        {io_request, From, ReplyAs, Request} ->
            From ! {io_reply, ReplyAs, sink_request(Request)},
            sink_loop();
        _ ->
            sink_loop()
    end.

sink_request({put_chars, _Enc, Chars}) -> write(fun() -> Chars end);
sink_request({put_chars, _Enc, M, F, A}) -> write(fun() -> apply(M, F, A) end);
sink_request({requests, Rs}) ->
    lists:foldl(fun(R, ok) -> sink_request(R); (_, E) -> E end, ok, Rs);
sink_request({setopts, _}) -> ok;
sink_request(getopts) -> [{binary, false}, {encoding, latin1}];
sink_request(_) -> {error, enotsup}.

write(Make) ->
    try xbeam:error_write(Make()) of
        ok -> ok;
        _ -> {error, put_chars}
    catch
        _:_ -> {error, format}
    end.

%% --- a suite ---

suite(Suite, DataRoot) ->
    Config0 = [{data_dir, DataRoot ++ atom_to_list(Suite) ++ "_data/"},
               {priv_dir, "/priv/" ++ atom_to_list(Suite) ++ "/"}],
    Info = case exported(Suite, suite, 0) of
               true -> catch_value(fun() -> Suite:suite() end, []);
               false -> []
           end,
    Timetrap = case is_list(Info) of
                   true -> timetrap_ms(proplists:get_value(timetrap, Info, ?DEFAULT_TIMETRAP));
                   false -> ?DEFAULT_TIMETRAP
               end,
    put(xbeam_ct_suite, {Suite, Timetrap}),
    Items = case catch Suite:all() of
                L when is_list(L) -> L;
                Bad -> erlang:display({bad_all, Suite, Bad}), []
            end,
    Groups = case exported(Suite, groups, 0) of
                 true -> catch_value(fun() -> Suite:groups() end, []);
                 false -> []
             end,
    put(xbeam_ct_groups, Groups),
    case fixture(Suite, init_per_suite, [Config0]) of
        {ok, Config} ->
            Result = items(Items, Config),
            _ = fixture(Suite, end_per_suite, [Config]),
            Result;
        {skip, Reason} ->
            skip_items(Items, Reason)
    end.

%% Calls an optional fixture in a process of its own; {ok, Config} or
%% {skip, Reason}.
fixture(Suite, F, Args) ->
    case exported(Suite, F, length(Args)) of
        false -> {ok, lists:last(Args)};
        true ->
            case run_process(fun() -> apply(Suite, F, Args) end, timetrap()) of
                {returned, {skip, R}} -> {skip, R};
                {returned, {skipped, R}} -> {skip, R};
                {returned, Config} when is_list(Config) -> {ok, Config};
                {returned, _} -> {ok, lists:last(Args)};
                {skipped, R} -> {skip, R};
                {failed, R} -> {skip, {F, failed, R}}
            end
    end.

timetrap() -> element(2, get(xbeam_ct_suite)).

%% --- the items of all/0 and groups/0 ---

items(Items, Config) ->
    lists:foldl(fun(Item, Acc) -> add(Acc, item(Item, Config)) end, {0, 0, 0}, Items).

item({group, G}, Config) -> group(G, Config);
item({group, G, _Props}, Config) -> group(G, Config);
item({group, G, _Props, _Sub}, Config) -> group(G, Config);
item({testcase, TC, _Props}, Config) -> test_case(TC, Config);
item(TC, Config) when is_atom(TC) -> test_case(TC, Config);
item(Other, _Config) ->
    report(Other, {failed, {bad_test_item, Other}}).

group(G, Config) ->
    {Suite, _} = get(xbeam_ct_suite),
    case lists:keyfind(G, 1, get(xbeam_ct_groups)) of
        {G, _Props, Items} ->
            case fixture(Suite, init_per_group, [G, Config]) of
                {ok, Config1} ->
                    Result = items(Items, Config1),
                    _ = fixture(Suite, end_per_group, [G, Config1]),
                    Result;
                {skip, Reason} ->
                    skip_items(Items, Reason)
            end;
        _ ->
            report(G, {failed, {no_such_group, G}})
    end.

skip_items(Items, Reason) ->
    lists:foldl(fun(Item, Acc) -> add(Acc, skip_item(Item, Reason)) end, {0, 0, 0}, Items).

skip_item({group, G}, Reason) -> skip_group(G, Reason);
skip_item({group, G, _}, Reason) -> skip_group(G, Reason);
skip_item({group, G, _, _}, Reason) -> skip_group(G, Reason);
skip_item({testcase, TC, _}, Reason) -> report(TC, {skipped, Reason});
skip_item(TC, Reason) -> report(TC, {skipped, Reason}).

skip_group(G, Reason) ->
    case lists:keyfind(G, 1, get(xbeam_ct_groups)) of
        {G, _, Items} -> skip_items(Items, Reason);
        _ -> {0, 0, 0}
    end.

%% --- a test case ---

test_case(TC, Config) ->
    {Suite, Timetrap} = get(xbeam_ct_suite),
    Body = fun() -> case_body(Suite, TC, Config) end,
    Result = case run_process(Body, Timetrap) of
                 {returned, {done, R}} -> R;
                 {returned, Other} -> {failed, {bad_case_result, Other}};
                 {skipped, R} -> {skipped, R};
                 {failed, {timetrap_timeout, _} = R} ->
                     %% The case process is gone: end_per_testcase runs apart.
                     _ = run_process(fun() -> end_case(Suite, TC, Config, {failed, R}) end, 60000),
                     {failed, R};
                 {failed, R} -> {failed, R}
             end,
    report(TC, Result).

%% In the case's process: init_per_testcase, the case, end_per_testcase.
case_body(Suite, TC, Config0) ->
    Init = case exported(Suite, init_per_testcase, 2) of
               true -> outcome(fun() -> Suite:init_per_testcase(TC, Config0) end);
               false -> {returned, Config0}
           end,
    case Init of
        {returned, {skip, R}} -> {done, {skipped, R}};
        {returned, {skipped, R}} -> {done, {skipped, R}};
        {returned, Config} when is_list(Config) ->
            Status = case outcome(fun() -> Suite:TC(Config) end) of
                         {returned, {skip, R}} -> {skipped, R};
                         {returned, {skipped, R}} -> {skipped, R};
                         {returned, _} -> ok;
                         Other -> Other
                     end,
            {done, end_case(Suite, TC, Config, Status)};
        {returned, Bad} -> {done, {skipped, {init_per_testcase, {bad_return, Bad}}}};
        {skipped, R} -> {done, {skipped, R}};
        {failed, R} -> {done, {skipped, {init_per_testcase, failed, R}}}
    end.

end_case(Suite, TC, Config, Status) ->
    case exported(Suite, end_per_testcase, 2) of
        false -> Status;
        true ->
            case outcome(fun() -> Suite:end_per_testcase(TC, [{tc_status, Status} | Config]) end) of
                {returned, {fail, R}} when Status =:= ok -> {failed, R};
                {failed, R} when Status =:= ok -> {failed, {end_per_testcase, R}};
                _ -> Status
            end
    end.

%% The outcome of a call by common_test's rules.
outcome(F) ->
    try F() of
        Value -> {returned, Value}
    catch
        throw:{skip, R} -> {skipped, R};
        throw:{skipped, R} -> {skipped, R};
        exit:{skip, R} -> {skipped, R};
        exit:{skipped, R} -> {skipped, R};
        Class:Reason:Stack ->
            case {Class, Reason, Stack} of
                {error, undef, [{erl_ddll, _, _, _} | _]} ->
                    %% An image has no drivers but the vanilla (file) one,
                    %% nothing to spawn a port on: a case that needs a
                    %% real port or driver skips, as the issue's rules allow.
                    {skipped, "xbeam: needs a real port or driver"};
                {error, enotsup, [{erlang, open_port, _, _} | _]} ->
                    {skipped, "xbeam: needs a real port or driver"};
                {error, undef, [{compile, _, _, _} | _]} ->
                    %% Nor a compiler: a case that compiles at run time skips.
                    {skipped, "xbeam: needs compiling at run time"};
                _ ->
                    case get(xbeam_refused_compile) of
                        undefined -> {failed, {Class, Reason, Stack}};
                        File ->
                            %% It failed after compile:file/2 refused a
                            %% module the image lacks (runtime-erl/xbeam_code.erl).
                            {skipped, lists:flatten(io_lib:format("xbeam: needs compiling at run time (~ts)", [File]))}
                    end
            end
    end.

%% Runs F in a new linked process with a timetrap (which ct:timetrap/1
%% restarts); the outcome of F.
run_process(F, Timetrap) ->
    Self = self(),
    Sink = get(xbeam_ct_sink),
    try spawn_link(fun() ->
                           group_leader(Sink, self()),
                           Self ! {xbeam_ct_result, self(), outcome(F)}
                   end) of
        Pid -> await(Pid, deadline(Timetrap), Timetrap)
    catch
        error:Reason -> {failed, {cannot_spawn, Reason}}
    end.

deadline(Ms0) ->
    case min(Ms0, get(xbeam_ct_cap)) of
        infinity -> infinity;
        Ms -> erlang:monotonic_time(millisecond) + Ms
    end.

await(Pid, Deadline, Timetrap) ->
    Wait = case Deadline of
               infinity -> infinity;
               _ -> max(0, Deadline - erlang:monotonic_time(millisecond))
           end,
    receive
        {xbeam_ct_result, Pid, Outcome} ->
            receive {'EXIT', Pid, _} -> ok after 1000 -> ok end,
            Outcome;
        {xbeam_ct_timetrap, Pid, T} ->
            Ms = timetrap_ms(T),
            await(Pid, deadline(Ms), Ms);
        {'EXIT', Pid, {skip, R}} -> {skipped, R};
        {'EXIT', Pid, {skipped, R}} -> {skipped, R};
        {'EXIT', Pid, Reason} -> {failed, Reason};
        {'EXIT', _, _} ->
            await(Pid, Deadline, Timetrap)
    after Wait ->
            unlink(Pid),
            exit(Pid, kill),
            {failed, {timetrap_timeout, Timetrap}}
    end.

timetrap_ms({hours, N}) -> N * 3600000;
timetrap_ms({minutes, N}) -> N * 60000;
timetrap_ms({seconds, N}) -> N * 1000;
timetrap_ms(infinity) -> infinity;
timetrap_ms(N) when is_integer(N), N >= 0 -> N;
timetrap_ms(_) -> ?DEFAULT_TIMETRAP.

%% --- reporting ---

report(TC, Result) ->
    {Suite, _} = get(xbeam_ct_suite),
    case Result of
        ok ->
            io:format("~w:~w ok~n", [Suite, TC]),
            {1, 0, 0};
        {skipped, R} ->
            io:format("~w:~w SKIPPED ~ts~n", [Suite, TC, reason(R)]),
            {0, 0, 1};
        {failed, R} ->
            io:format("~w:~w FAILED ~ts~n", [Suite, TC, reason(R)]),
            {0, 1, 0}
    end.

%% A reason on one line, cut at 300 characters; the runner's own frames
%% are left out of its stack trace.
reason({Class, Reason, Stack}) when is_list(Stack) ->
    reason2({Class, Reason, [F || F <- Stack, element(1, F) =/= ?MODULE]});
reason(R) -> reason2(R).

reason2(R) ->
    try reason1(R)
    catch _:_ -> "(a reason that cannot be printed yet)"
    end.

reason1(R) when is_list(R) ->
    case io_lib:deep_char_list(R) andalso io_lib:printable_list(lists:flatten(R)) of
        true -> one_line(R);
        false -> one_line(limited(R))
    end;
reason1(R) -> one_line(limited(R)).

%% A huge term (a reason may hold a list of millions) printed only in part.
limited(R) -> io_lib:format("~0P", [R, 20]).

one_line(Chars) ->
    Flat = [case C of $\n -> $\s; _ -> C end || C <- lists:flatten(Chars)],
    case length(Flat) > 300 of
        true -> lists:sublist(Flat, 300) ++ "...";
        false -> Flat
    end.

%% --- helpers ---

exported(M, F, A) -> erlang:function_exported(M, F, A).

catch_value(F, Default) ->
    try F() catch _:_ -> Default end.
