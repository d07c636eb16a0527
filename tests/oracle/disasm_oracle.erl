%% The test oracle for `xbeam disasm --format erlang`.
%%
%% In:  OutDir followed by .beam paths (as command-line arguments).
%% Out: for the N-th path, OutDir/N.w holds exactly what
%%      io:format("~w.~n", [F]) prints for each F in the code list of
%%      beam_disasm:file/1, or one line "error" when beam_disasm fails.
%% Run as: erl -noshell -pa DIR -run disasm_oracle main OutDir File...
-module(disasm_oracle).
-export([main/1]).

main([OutDir | Files]) ->
    lists:foldl(fun(File, N) -> one(OutDir, N, File), N + 1 end, 0, Files),
    halt(0).

one(OutDir, N, File) ->
    Out = filename:join(OutDir, integer_to_list(N) ++ ".w"),
    {ok, Fd} = file:open(Out, [write, raw, binary]),
    Text = try beam_disasm:file(File) of
               {beam_file, _Mod, _Exp, _Attr, _CInf, Code} ->
                   [io_lib:format("~w.~n", [F]) || F <- Code];
               {error, _, _} ->
                   "error\n"
           catch _:_ ->
               "error\n"
           end,
    ok = file:write(Fd, iolist_to_binary(Text)),
    ok = file:close(Fd).
