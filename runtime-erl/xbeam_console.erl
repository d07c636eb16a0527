%% runtime-erl/xbeam_console.erl — the console: an io server that is the
%% group leader of the first process, as `user` is in BEAM.
%%
%% It speaks the io protocol (io_request / io_reply) that io and io_lib
%% use; output requests are turned into characters by the same io_lib
%% functions BEAM uses and written with xbeam:console_write/1.  Input
%% requests get {error, enotsup}: the console has no input yet.
-module(xbeam_console).
-export([start/0]).

%% Starts the console and makes it the caller's group leader; starts the
%% same server for stderr, registered as standard_error (as erl has it).
start() ->
    Pid = spawn_opt(fun() -> serve(fun(C) -> xbeam:console_write(C) end) end, [{min_heap_size, 4096}]),
    group_leader(Pid, self()),
    Err = spawn_opt(fun() -> serve(fun(C) -> xbeam:error_write(C) end) end, []),
    register(standard_error, Err),
    ok.

%% The server's writer, kept in its dictionary for put_chars/2.
serve(Write) ->
    put(write, Write),
    loop().

loop() ->
    receive
        {io_request, From, ReplyAs, Request} ->
            From ! {io_reply, ReplyAs, request(Request)},
            loop();
        _Other ->
            loop()
    end.

request({put_chars, Enc, Chars}) ->
    put_chars(Enc, Chars);
request({put_chars, Enc, io_lib, format, [Format, Args]}) ->
    chars(Enc, fun() -> io_lib:format(Format, Args) end);
request({put_chars, Enc, io_lib, write, [Term]}) ->
    chars(Enc, fun() -> io_lib:write(Term) end);
request({put_chars, Enc, M, F, A}) ->
    chars(Enc, fun() -> apply(M, F, A) end);
request({requests, Rs}) ->
    requests(Rs, ok);
request({setopts, _}) ->
    ok;
request(getopts) ->
    [{binary, false}, {encoding, latin1}];
request({get_geometry, _}) ->
    {error, enotsup};
request(_) ->
    {error, request}.

requests([], Result) -> Result;
requests([R | Rs], ok) -> requests(Rs, request(R));
requests(_, Error) -> Error.

chars(Enc, Make) ->
    try Make() of
        Chars -> put_chars(Enc, Chars)
    catch
        _:_ -> {error, format}
    end.

put_chars(_Enc, Chars) ->
    Write = get(write),
    case Write(Chars) of
        ok -> ok;
        _ -> {error, put_chars}
    end.
