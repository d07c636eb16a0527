%% runtime-erl/xbeam_file.erl — file and filelib over the image's read-only
%% files.
%%
%% An image has no disk.  The loader embeds files in it (`xbeam build
%% --data-dir`, `xbeam test-suite`), each under an absolute path, and
%% runtime-asm/datafs.asm hands them out by index.  emitter/bifs.ts sends
%% file:read_file/1, consult/1, open/2, close/1, read/2, read_line/1,
%% list_dir/1, get_cwd/0, write_file/2, delete/1 and filelib:wildcard/1,
%% is_file/1, is_dir/1 here.  A file opened for reading is an io server
%% process, as in BEAM, so io:get_line/2, io:read/2 and
%% io:parse_erl_exprs/2 work on it.  Files written (write_file/2, or
%% open/2 with write or append and then io:format/3, file:write/2 ...)
%% live in memory, held by one process (xbeam_ramfs, started by the first
%% write), and shadow an embedded file of the same name; they last as
%% long as the image runs.  A missing file gives {error, enoent}.  The
%% current directory is "/".
-module(xbeam_file).
-export([read_file/1, consult/1, open/2, close/1, read/2, read_line/1,
         list_dir/1, get_cwd/0, write_file/2, delete/1,
         wildcard/1, is_file/1, is_dir/1]).

%% --- names ---

%% An absolute path without "." or ".." components or doubled slashes,
%% as a string; badarg for what is not a file name.
path(Name) ->
    Flat = flat(Name),
    Abs = case Flat of
              [$/ | _] -> Flat;
              _ -> "/" ++ Flat
          end,
    "/" ++ join(normal(split(Abs), [])).

flat(Name) when is_atom(Name) -> atom_to_list(Name);
flat(Name) when is_binary(Name) -> binary_to_list(Name);
flat(Name) when is_list(Name) -> lists:flatmap(fun flat_part/1, Name);
flat(_) -> erlang:error(badarg).

flat_part(C) when is_integer(C), C >= 0 -> [C];
flat_part(Part) -> flat(Part).

split(Path) -> [C || C <- split(Path, [], []), C =/= []].

split([], Cur, Acc) -> lists:reverse([lists:reverse(Cur) | Acc]);
split([$/ | Rest], Cur, Acc) -> split(Rest, [], [lists:reverse(Cur) | Acc]);
split([C | Rest], Cur, Acc) -> split(Rest, [C | Cur], Acc).

normal([], Acc) -> lists:reverse(Acc);
normal(["." | Rest], Acc) -> normal(Rest, Acc);
normal([".." | Rest], [_ | Acc]) -> normal(Rest, Acc);
normal([".." | Rest], []) -> normal(Rest, []);
normal([C | Rest], Acc) -> normal(Rest, [C | Acc]).

join(Components) -> lists:append(lists:join("/", Components)).

%% Every embedded file: [{Path, Index}].
files() ->
    [{binary_to_list(xbeam:data_file_name(I)), I} || I <- lists:seq(0, xbeam:data_file_count() - 1)].

find(Name) ->
    Path = lists:flatten(path(Name)),
    case lists:keyfind(Path, 1, files()) of
        {_, I} -> {ok, I};
        false -> error
    end.

%% --- file ---

read_file(Name) ->
    case bytes(Name) of
        {ok, Bytes} -> {ok, Bytes};
        error -> {error, enoent}
    end.

%% The bytes of a file written at run time, else of an embedded one.
bytes(Name) ->
    case ram_get(lists:flatten(path(Name))) of
        {ok, Bytes} -> {ok, Bytes};
        error ->
            case find(Name) of
                {ok, I} -> {ok, xbeam:data_file_bytes(I)};
                error -> error
            end
    end.

write_file(Name, Bytes) ->
    Path = lists:flatten(path(Name)),
    try iolist_to_binary(Bytes) of
        Bin -> ram({put, Path, Bin})
    catch error:badarg -> {error, badarg}
    end.

%% Only files written at run time can go: the image's own are read-only.
delete(Name) ->
    Path = lists:flatten(path(Name)),
    case ram_get(Path) of
        {ok, _} -> ram({delete, Path});
        error ->
            case find(Name) of
                {ok, _} -> {error, erofs};
                error -> {error, enoent}
            end
    end.

get_cwd() -> {ok, "/"}.

list_dir(Name) ->
    Dir = lists:flatten(path(Name)),
    Prefix = case Dir of "/" -> "/"; _ -> Dir ++ "/" end,
    Names = lists:usort([hd(split(lists:nthtail(length(Prefix), P)))
                         || P <- paths(), lists:prefix(Prefix, P)]),
    case Names of
        [] -> {error, enoent};
        _ -> {ok, Names}
    end.

open(Name, Modes) ->
    Write = lists:any(fun(M) -> lists:member(M, [write, append, exclusive]) end, Modes),
    Owner = self(),
    case {Write, bytes(Name)} of
        {true, Old} ->
            Path = lists:flatten(path(Name)),
            Start = case {lists:member(append, Modes), Old} of
                        {true, {ok, Bytes}} -> [Bytes];
                        _ -> []
                    end,
            case lists:member(exclusive, Modes) andalso Old =/= error of
                true -> {error, eexist};
                false ->
                    ok = ram({put, Path, iolist_to_binary(Start)}),
                    {ok, spawn(fun() -> writer(Path, Start, erlang:monitor(process, Owner)) end)}
            end;
        {false, error} -> {error, enoent};
        {false, {ok, Bytes}} ->
            Binary = lists:member(binary, Modes),
            Pid = spawn(fun() ->
                                Ref = erlang:monitor(process, Owner),
                                server(Bytes, Binary, Ref)
                        end),
            {ok, Pid}
    end.

close(Pid) when is_pid(Pid) ->
    Ref = erlang:monitor(process, Pid),
    Pid ! {file_request, self(), Ref, close},
    receive
        {file_reply, Ref, Reply} -> erlang:demonitor(Ref, [flush]), Reply;
        {'DOWN', Ref, _, _, _} -> {error, terminated}
    end;
close(_) -> {error, badarg}.

read(Fd, N) ->
    case io:request(Fd, {get_chars, latin1, '', N}) of
        eof -> eof;
        {error, _} = Error -> Error;
        Data -> {ok, Data}
    end.

read_line(Fd) ->
    case io:request(Fd, {get_line, latin1, ''}) of
        eof -> eof;
        {error, _} = Error -> Error;
        Data -> {ok, Data}
    end.

consult(Name) ->
    case open(Name, [read]) of
        {ok, Fd} ->
            Result = consult_terms(Fd, []),
            close(Fd),
            Result;
        Error -> Error
    end.

consult_terms(Fd, Acc) ->
    case io:read(Fd, '') of
        {ok, Term} -> consult_terms(Fd, [Term | Acc]);
        eof -> {ok, lists:reverse(Acc)};
        {eof, _} -> {ok, lists:reverse(Acc)};
        {error, Info, Line} -> {error, {Line, element(2, Info), element(3, Info)}};
        {error, _} = Error -> Error
    end.

%% --- filelib ---

is_file(Name) -> bytes(Name) =/= error orelse is_dir(Name).

is_dir(Name) -> element(1, list_dir(Name)) =:= ok.

%% Files (not directories) whose path matches the pattern: * and ? match
%% within one path component, as in filelib.
wildcard(Pattern) ->
    Pat = split(lists:flatten(path(Pattern))),
    Relative = case flat(Pattern) of [$/ | _] -> false; _ -> true end,
    Matches = lists:usort([P || P <- paths(), match_components(Pat, split(P))]),
    case Relative of
        true -> [tl(P) || P <- Matches];
        false -> Matches
    end.

match_components([], []) -> true;
match_components([P | Ps], [C | Cs]) -> glob(P, C) andalso match_components(Ps, Cs);
match_components(_, _) -> false.

glob([], []) -> true;
glob([$* | Ps], Cs) -> glob(Ps, Cs) orelse (Cs =/= [] andalso glob([$* | Ps], tl(Cs)));
glob([$? | Ps], [_ | Cs]) -> glob(Ps, Cs);
glob([C | Ps], [C | Cs]) -> glob(Ps, Cs);
glob(_, _) -> false.

%% Every file's path: the embedded ones and those written.
paths() ->
    [P || {P, _} <- files()] ++ case whereis(xbeam_ramfs) of
                                    undefined -> [];
                                    _ -> ram(paths)
                                end.

%% --- files written at run time ---

%% A request to the process that holds them, started by the first write.
ram(Request) ->
    Pid = case whereis(xbeam_ramfs) of
              undefined -> start_ram();
              P -> P
          end,
    Ref = erlang:monitor(process, Pid),
    Pid ! {ram, self(), Ref, Request},
    receive
        {ram_reply, Ref, Reply} -> erlang:demonitor(Ref, [flush]), Reply;
        {'DOWN', Ref, _, _, _} -> ram(Request)
    end.

ram_get(Path) ->
    case whereis(xbeam_ramfs) of
        undefined -> error;
        _ -> ram({get, Path})
    end.

%% (Two processes may race to start it: the one registered serves.)
start_ram() ->
    Pid = spawn(fun() -> ram_loop(#{}) end),
    try register(xbeam_ramfs, Pid) of
        true -> Pid
    catch error:badarg ->
        exit(Pid, kill),
        whereis(xbeam_ramfs)
    end.

ram_loop(Files) ->
    receive
        {ram, From, Ref, Request} ->
            {Reply, Files1} = case Request of
                                  {get, Path} -> {maps:find(Path, Files), Files};
                                  {put, Path, Bin} -> {ok, Files#{Path => Bin}};
                                  {delete, Path} -> {ok, maps:remove(Path, Files)};
                                  paths -> {maps:keys(Files), Files}
                              end,
            From ! {ram_reply, Ref, Reply},
            ram_loop(Files1)
    end.

%% The io server of a file open for writing: what is written goes to the
%% store when the file is closed (or its owner ends).
writer(Path, Acc, OwnerRef) ->
    receive
        {io_request, From, ReplyAs, Request} ->
            {Reply, Acc1} = write_request(Request, Acc),
            From ! {io_reply, ReplyAs, Reply},
            writer(Path, Acc1, OwnerRef);
        {file_request, From, Ref, close} ->
            From ! {file_reply, Ref, ram({put, Path, iolist_to_binary(Acc)})};
        {'DOWN', OwnerRef, _, _, _} ->
            ram({put, Path, iolist_to_binary(Acc)});
        _ ->
            writer(Path, Acc, OwnerRef)
    end.

%% A latin1 file: characters above 255 cannot be written.
write_request({put_chars, latin1, Chars}, Acc) ->
    case catch iolist_to_binary(Chars) of
        Bin when is_binary(Bin) -> {ok, [Acc | Bin]};
        _ -> {{error, badarg}, Acc}
    end;
write_request({put_chars, unicode, Chars}, Acc) ->
    case catch unicode:characters_to_list(Chars) of
        List when is_list(List) ->
            case lists:all(fun(C) -> C =< 255 end, List) of
                true -> {ok, [Acc | list_to_binary(List)]};
                false -> {{error, {no_translation, unicode, latin1}}, Acc}
            end;
        _ -> {{error, badarg}, Acc}
    end;
write_request({put_chars, Enc, M, F, A}, Acc) ->
    case catch apply(M, F, A) of
        {'EXIT', _} -> {{error, F}, Acc};
        Chars -> write_request({put_chars, Enc, Chars}, Acc)
    end;
write_request({requests, Rs}, Acc) ->
    lists:foldl(fun(R, {ok, A}) -> write_request(R, A);
                   (_, Done) -> Done
                end, {ok, Acc}, Rs);
write_request({setopts, _}, Acc) -> {ok, Acc};
write_request(getopts, Acc) -> {[{binary, false}, {encoding, latin1}], Acc};
write_request(_, Acc) -> {{error, ebadf}, Acc}.

%% --- the io server of an open file ---

%% The file's bytes are held as a list of characters (latin1), whatever
%% the mode; binary mode only changes what the reads return.
server(Chars, Binary, OwnerRef) when is_binary(Chars) ->
    server(binary_to_list(Chars), Binary, OwnerRef);
server(Chars, Binary, OwnerRef) ->
    receive
        {io_request, From, ReplyAs, Request} ->
            {Reply, Rest, Binary1} = request(Request, Chars, Binary),
            From ! {io_reply, ReplyAs, Reply},
            server(Rest, Binary1, OwnerRef);
        {file_request, From, Ref, close} ->
            From ! {file_reply, Ref, ok};
        {'DOWN', OwnerRef, _, _, _} ->
            ok;
        _ ->
            server(Chars, Binary, OwnerRef)
    end.

request({get_chars, _Enc, _Prompt, N}, Chars, Binary) when is_integer(N), N >= 0 ->
    case Chars of
        [] when N > 0 -> {eof, Chars, Binary};
        _ ->
            {Taken, Rest} = lists:split(min(N, length(Chars)), Chars),
            {out(Taken, Binary), Rest, Binary}
    end;
request({get_line, _Enc, _Prompt}, Chars, Binary) ->
    case Chars of
        [] -> {eof, Chars, Binary};
        _ ->
            {Line, Rest} = line(Chars, []),
            {out(Line, Binary), Rest, Binary}
    end;
request({get_until, _Enc, _Prompt, M, F, Xs}, Chars, Binary) ->
    get_until(M, F, Xs, [], Chars, Binary);
request({setopts, Opts}, Chars, Binary) ->
    Binary1 = case proplists:get_value(binary, Opts) of
                  undefined -> not lists:member(list, Opts) andalso
                                   (lists:member(binary, Opts) orelse Binary);
                  B -> B
              end,
    {ok, Chars, Binary1};
request(getopts, Chars, Binary) ->
    {[{binary, Binary}, {encoding, latin1}], Chars, Binary};
request({requests, Rs}, Chars, Binary) ->
    lists:foldl(fun(R, {ok, C, B}) -> request(R, C, B);
                   (_, Done) -> Done
                end, {ok, Chars, Binary}, Rs);
request(_, Chars, Binary) ->
    {{error, request}, Chars, Binary}.

%% The first line (with its newline) and the rest.
line([], Acc) -> {lists:reverse(Acc), []};
line([$\n | Rest], Acc) -> {lists:reverse([$\n | Acc]), Rest};
line([C | Rest], Acc) -> line(Rest, [C | Acc]).

%% Feeds the collector M:F one line at a time, then eof, until it is done.
get_until(M, F, Xs, State, Chars, Binary) ->
    {Data, Rest} = case Chars of
                       [] -> {eof, []};
                       _ -> line(Chars, [])
                   end,
    case collect(M, F, [State, Data | Xs]) of
        {done, Result, Left} ->
            {Result, left(Left) ++ Rest, Binary};
        {more, _} when Data =:= eof ->
            {eof, [], Binary};
        {more, State1} ->
            get_until(M, F, Xs, State1, Rest, Binary)
    end.

left(eof) -> [];
left(Chars) when is_list(Chars) -> Chars;
left(Bin) when is_binary(Bin) -> binary_to_list(Bin).

out(Chars, true) -> list_to_binary(Chars);
out(Chars, false) -> Chars.

%% The collectors io hands over in its requests (io:read/2,3 and
%% io:parse_erl_exprs/2,3: erl_scan:tokens/3,4; io:fread/3: io_lib:fread/3)
%% are called by name, so that the image has them: the loader cannot see a
%% module and function that travel inside a message.
collect(erl_scan, tokens, [S, D, L]) -> erl_scan:tokens(S, D, L);
collect(erl_scan, tokens, [S, D, L, O]) -> erl_scan:tokens(S, D, L, O);
collect(io_lib, fread, [S, D, F]) -> io_lib:fread(S, D, F);
collect(M, F, A) -> apply(M, F, A).
