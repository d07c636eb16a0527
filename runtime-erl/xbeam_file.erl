%% runtime-erl/xbeam_file.erl — file and filelib over the image's read-only
%% files.
%%
%% An image has no disk.  The loader embeds files in it (`xbeam build
%% --data-dir`, `xbeam test-suite`), each under an absolute path, and
%% runtime-asm/datafs.asm hands them out by index.  emitter/bifs.ts sends
%% file:read_file/1, consult/1, open/2, close/1, read/2, read_line/1,
%% list_dir/1, get_cwd/0, write_file/2 and filelib:wildcard/1, is_file/1,
%% is_dir/1 here.  A file opened for reading is an io server process, as
%% in BEAM, so io:get_line/2, io:read/2 and io:parse_erl_exprs/2 work on it.
%% Writing gives {error, erofs}; a missing file {error, enoent}.  The
%% current directory is "/".
-module(xbeam_file).
-export([read_file/1, consult/1, open/2, close/1, read/2, read_line/1,
         list_dir/1, get_cwd/0, write_file/2,
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
    case find(Name) of
        {ok, I} -> {ok, xbeam:data_file_bytes(I)};
        error -> {error, enoent}
    end.

write_file(_Name, _Bytes) -> {error, erofs}.

get_cwd() -> {ok, "/"}.

list_dir(Name) ->
    Dir = lists:flatten(path(Name)),
    Prefix = case Dir of "/" -> "/"; _ -> Dir ++ "/" end,
    Names = lists:usort([hd(split(lists:nthtail(length(Prefix), P)))
                         || {P, _} <- files(), lists:prefix(Prefix, P)]),
    case Names of
        [] -> {error, enoent};
        _ -> {ok, Names}
    end.

open(Name, Modes) ->
    Write = lists:any(fun(M) -> lists:member(M, [write, append, exclusive]) end, Modes),
    case {Write, find(Name)} of
        {true, _} -> {error, erofs};
        {false, error} -> {error, enoent};
        {false, {ok, I}} ->
            Bytes = xbeam:data_file_bytes(I),
            Binary = lists:member(binary, Modes),
            Owner = self(),
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

is_file(Name) -> find(Name) =/= error orelse is_dir(Name).

is_dir(Name) -> element(1, list_dir(Name)) =:= ok.

%% Files (not directories) whose path matches the pattern: * and ? match
%% within one path component, as in filelib.
wildcard(Pattern) ->
    Pat = split(lists:flatten(path(Pattern))),
    Relative = case flat(Pattern) of [$/ | _] -> false; _ -> true end,
    Matches = lists:sort([P || {P, _} <- files(), match_components(Pat, split(P))]),
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
