%% tests/suite/demo_SUITE.erl — a common_test suite for xbeam_ct's rules
%% (tests/suite.test.ts runs it with `xbeam test-suite`): every way a case
%% passes, fails or skips, groups, fixtures, timetraps and data files.
-module(demo_SUITE).
-include_lib("common_test/include/ct.hrl").
-compile([export_all, nowarn_export_all]).

suite() -> [{timetrap, {seconds, 20}}].

all() ->
    [returns_anything, returns_comment, skip_returned, skip_thrown, skip_exited,
     fails_badmatch, fails_ct_fail, fails_by_linked_exit, end_per_testcase_fails,
     init_skips, timetrap_expires, {group, outer}, data_files, consult_file,
     prebuilt_module, no_peer, tc_status_seen].

groups() ->
    [{outer, [], [in_outer, {group, inner}]},
     {inner, [parallel], [in_inner]},
     {skipped_group, [], [never_runs]}].

init_per_suite(Config) -> [{suite_key, 42} | Config].
end_per_suite(_Config) -> ok.

init_per_group(outer, Config) -> [{group_key, outer} | Config];
init_per_group(inner, Config) -> [{group_key, inner} | Config].
end_per_group(_, _Config) -> ok.

init_per_testcase(init_skips, _Config) -> {skip, "init said so"};
init_per_testcase(timetrap_expires, Config) -> ct:timetrap({seconds, 1}), Config;
init_per_testcase(_, Config) -> Config.

end_per_testcase(end_per_testcase_fails, _Config) -> {fail, "end said so"};
end_per_testcase(tc_status_seen, Config) ->
    case ?config(tc_status, Config) of
        ok -> ok;
        Other -> {fail, {unexpected_status, Other}}
    end;
end_per_testcase(_, _Config) -> ok.

returns_anything(Config) -> 42 = ?config(suite_key, Config), {any, term}.
returns_comment(_) -> {comment, "a comment"}.
skip_returned(_) -> {skip, "returned"}.
skip_thrown(_) -> throw({skip, "thrown"}).
skip_exited(_) -> exit({skipped, "exited"}).
fails_badmatch(_) -> a = id(b).
fails_ct_fail(_) -> ct:fail("failed on purpose: ~w", [7]).
fails_by_linked_exit(_) ->
    process_flag(trap_exit, false),
    spawn_link(fun() -> exit(linked_died) end),
    receive after 5000 -> ok end.
end_per_testcase_fails(_) -> ok.
init_skips(_) -> ok.
timetrap_expires(_) -> receive after infinity -> ok end.
in_outer(Config) -> outer = ?config(group_key, Config), ok.
in_inner(Config) -> inner = ?config(group_key, Config), ok.
never_runs(_) -> ok.

data_files(Config) ->
    Dir = ?config(data_dir, Config),
    {ok, Bin} = file:read_file(filename:join(Dir, "greeting.txt")),
    "hello data\n" = binary_to_list(Bin),
    {error, enoent} = file:read_file(filename:join(Dir, "missing.txt")),
    {ok, Fd} = file:open(Dir ++ "greeting.txt", [read]),
    "hello data\n" = io:get_line(Fd, ''),
    eof = io:get_line(Fd, ''),
    ok = file:close(Fd),
    ["greeting.txt", "prebuilt_mod.erl", "sub"] = lists:sort(element(2, file:list_dir(Dir))),
    ok.

consult_file(Config) ->
    {ok, [{a, 1}, [x, "y"]]} = file:consult(filename:join([?config(data_dir, Config), "sub", "terms.txt"])),
    ok.

prebuilt_module(Config) ->
    File = filename:join(?config(data_dir, Config), "prebuilt_mod"),
    {ok, prebuilt_mod, Bin} = compile:file(File, [binary]),
    {module, prebuilt_mod} = code:load_binary(prebuilt_mod, File, Bin),
    prebuilt_answer = prebuilt_mod:prebuilt_mod(),
    ok.

no_peer(_) -> {ok, _Peer, _Node} = ?CT_PEER(), ok.

tc_status_seen(_) -> ok.

id(X) -> X.
