%% Files written at run time (runtime-erl/xbeam_file.erl keeps them in
%% memory): write_file, open with write and append, io:format and
%% file:write to the open file, read back, consult, delete, bad data.
-module(files_written).
-export([main/0]).
main() ->
    D = ".",                  % erl writes in its working directory
    P = D ++ "/xbeam_files_written_a.txt",
    file:delete(P),
    R1 = file:read_file(P),
    ok = file:write_file(P, ["hello", $\s, <<"world">>]),
    R2 = file:read_file(P),
    {ok, Fd} = file:open(P, [append]),
    io:format(Fd, "~p.~n", [{x, 1}]),
    ok = file:write(Fd, <<"more\n">>),
    ok = file:close(Fd),
    R3 = file:read_file(P),
    {ok, Fd2} = file:open(D ++ "/xbeam_files_written_t.erl", [write]),
    [io:format(Fd2, "~p.~n", [T]) || T <- [{a, 1}, [b, "c"]]],
    ok = file:close(Fd2),
    R4 = file:consult(D ++ "/xbeam_files_written_t.erl"),
    R5 = file:write_file(P, [1 | a]),
    R6 = file:delete(P),
    R7 = file:read_file(P),
    R8 = file:delete(P),
    file:delete(D ++ "/xbeam_files_written_t.erl"),
    io:format("~p~n", [[R1, R2, R3, R4, R5, R6, R7, R8]]).
