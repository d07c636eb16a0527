%% runtime-erl/xbeam_stack.erl — stack traces, from the raw ones the
%% runtime records when it raises (runtime-asm/errors.asm), and the end of
%% a process that nothing caught.
%%
%% A raw stacktrace is {Class, Mode, Top, Args, Extra1, Extra2, Sites,
%% Depth}: Sites are the call sites found on the stack, innermost first
%% (indices in the xb_sites table; xbeam:site_info/1 reads one), and the
%% mode says how the exception was raised, which decides the first frame:
%%   0  in the runtime or a BIF: if the innermost call site calls a BIF,
%%      a frame for it, {M, F, Args, [{error_info, ...}]}, as in BEAM;
%%   1  error/1, exit/1, throw/1: the caller's frame;
%%   2  error/2,3: the caller's frame with Extra1 as its arguments and
%%      Extra2's error_info option in its location;
%%   3  function_clause: the function's frame with its arguments;
%%   4  undef: {M, F, Args, []} first;
%%   5  a guard BIF that failed in a body: its frame first;
%%   6  erlang:raise/3: Extra1 is the stacktrace it was given;
%%   7  constructing a binary failed: the caller's frame, with error_info
%%      whose cause names the segment, worked out from the segments in
%%      Extra1 as BEAM checks them (bs_cause/1).
%% Frames of the runtime's own Erlang modules (xbeam_*) are left out; a
%% BIF written in Erlang shows as the BIF.  At most Depth frames (the
%% backtrace_depth system flag when it was raised, at least one).
-module(xbeam_stack).
-export([build/1, catch_value/3, uncaught/4]).

-define(PRESET, 6).

build(Stack) when is_list(Stack) -> Stack;
build({_, ?PRESET, _, _, Stack, _, _, _}) -> build(Stack);
build({_Class, Mode, Top, Args, Extra1, Extra2, Sites, Depth}) ->
    Infos = [xbeam:site_info(S) || S <- Sites],
    take(frames(Mode, Top, Args, Extra1, Extra2, Infos), max(Depth, 1));
build(_) -> [].

frames(1, _, _, Extra1, Extra2, Infos) -> frames(0, [], [], Extra1, Extra2, Infos);
frames(2, Top, _, Args, Options, [Info | _] = Infos) when element(6, Info) ->
    %% error/2,3 in the runtime's Erlang: the BIF it implements, with these arguments.
    Loc = error_info(Options, []),
    case first_visible(Infos) of
        {{M, F, A}, Rest} -> [{M, F, args_or(Args, A), bif_location(M, Loc)} | visible(Rest)];
        {dynamic, Rest} when Top =/= [] ->
            %% under apply or a fun call: Top is what it called
            {M, F, A} = Top,
            [{M, F, args_or(Args, A), bif_location(M, Loc)} | visible(Rest)];
        {_, Rest} -> visible(Rest)
    end;
frames(2, _, _, Args, Options, Infos) ->
    case visible(Infos) of
        [{M, F, A, Loc} | Rest] -> [{M, F, args_or(Args, A), error_info(Options, Loc)} | Rest];
        [] -> []
    end;
frames(3, _, Args, _, _, [{_, _, _, _, _, false, _} = Info | Infos]) ->
    {M, F, _, Loc} = frame(Info),
    [{M, F, Args, Loc} | visible(Infos)];
frames(4, {M, F, _}, Args, _, _, Infos) ->
    [{M, F, Args, []} | visible(Infos)];
frames(5, {M, F, _}, Args, _, _, Infos) ->
    [{M, F, Args, bif_location(M, [])} | visible(Infos)];
frames(0, Top, Args, _, _, [Info | _] = Infos) ->
    %% Raised inside a BIF: the innermost site calls it (or, when the BIF
    %% is written in Erlang, the first site outside the runtime's code).
    {Bif, Rest} = case element(6, Info) of
                      false -> {element(7, Info), Infos};
                      true -> first_visible(Infos)
                  end,
    case Bif of
        {M, F, A} ->
            BifArgs = case Bif =:= Top of true -> Args; false -> A end,
            [{M, F, BifArgs, bif_location(M, [])} | visible(Rest)];
        dynamic when Top =/= [] ->
            %% apply or a fun call: Top is what it called (a BIF, since no
            %% site of a function of its own came first).
            {M, F, _} = Top,
            [{M, F, Args, bif_location(M, [])} | visible(Rest)];
        _ -> visible(Rest)
    end;
frames(7, _, _, Segments, _, Infos) ->
    Info = case bs_cause(Segments) of
               none -> #{module => erl_erts_errors};
               Cause -> #{module => erl_erts_errors, function => format_bs_fail, cause => Cause}
           end,
    case visible(Infos) of
        [{M, F, A, Loc} | Rest] -> [{M, F, A, Loc ++ [{error_info, Info}]} | Rest];
        [] -> []
    end;
frames(_, _, _, _, _, Infos) -> visible(Infos).

%% ---------------------------------------------------------------------------
%% The cause of a failed binary construction: {Segment, Type, What, Value},
%% as erl_erts_errors:format_bs_fail/2 explains it.  BEAM checks in two
%% passes: first every segment's size (a size that is not a 64-bit BEAM's
%% small non-negative integer, or whose product with the unit overflows 64
%% bits; a whole binary that is not a bitstring; a code point that cannot
%% be encoded), then every value as it writes it.  Segments are {Seg,
%% Type, Unit, Flags, Value, Size} (runtime-asm/bits.asm, xb_bs_segments).

-define(SEG_INTEGER, 1).
-define(SEG_BINARY, 2).
-define(SEG_FLOAT, 3).
-define(SEG_UTF8, 4).
-define(SEG_UTF16, 5).
-define(SEG_UTF32, 6).
-define(SEG_APPEND, 8).
-define(SEG_PRIVATE_APPEND, 9).
-define(SMALL64(S), (is_integer(S) andalso S >= -(1 bsl 59) andalso S < 1 bsl 59)).

bs_cause(Segments0) when is_list(Segments0) ->
    %% An append (the compiler's form of a first segment Bin/binary) is
    %% checked as that segment.
    Segments = [case Type of
                    ?SEG_APPEND -> {Seg, ?SEG_BINARY, Unit, Flags, Value, all};
                    ?SEG_PRIVATE_APPEND -> {Seg, ?SEG_BINARY, Unit, Flags, Value, all};
                    _ -> S
                end || {Seg, Type, Unit, Flags, Value, _} = S <- Segments0],
    case first(fun size_fault/1, Segments) of
        none -> first(fun value_fault/1, Segments);
        Cause -> Cause
    end;
bs_cause(_) -> none.

first(Check, [S | Ss]) ->
    case Check(S) of
        ok -> first(Check, Ss);
        Cause -> Cause
    end;
first(_, []) -> none.

size_fault({Seg, ?SEG_BINARY, _, _, Value, all}) ->
    case is_bitstring(Value) of
        true -> ok;
        false -> {Seg, binary, type, Value}
    end;
size_fault({Seg, Type, Unit, _, _, Size}) when Type =:= ?SEG_INTEGER; Type =:= ?SEG_BINARY;
                                                Type =:= ?SEG_FLOAT ->
    if
        ?SMALL64(Size), Size >= 0, Size * Unit < 1 bsl 63 -> ok;
        true -> {Seg, type_name(Type), size, Size}
    end;
size_fault({Seg, Type, _, _, Value, _}) when Type =:= ?SEG_UTF8; Type =:= ?SEG_UTF16;
                                             Type =:= ?SEG_UTF32 ->
    case is_integer(Value) andalso Value >= 0 andalso Value =< 16#10ffff
        andalso not (Value >= 16#d800 andalso Value =< 16#dfff) of
        true -> ok;
        false -> {Seg, type_name(Type), type, Value}
    end;
size_fault(_) -> ok.

value_fault({Seg, ?SEG_INTEGER, _, _, Value, _}) when not is_integer(Value) ->
    {Seg, integer, type, Value};
value_fault({Seg, ?SEG_BINARY, Unit, _, Value, Size}) ->
    if
        not is_bitstring(Value) -> {Seg, binary, type, Value};
        Size =:= all, bit_size(Value) rem Unit =/= 0 -> {Seg, binary, unit, Value};
        Size =/= all, bit_size(Value) < Size * Unit -> {Seg, binary, short, Value};
        true -> ok
    end;
value_fault({Seg, ?SEG_FLOAT, Unit, _, Value, Size}) ->
    Bits = Size * Unit,
    if
        Bits =/= 16, Bits =/= 32, Bits =/= 64 -> {Seg, float, invalid, Size};
        is_float(Value) -> ok;
        not is_integer(Value) -> {Seg, float, type, Value};
        true ->
            try float(Value) of _ -> ok
            catch error:_ -> {Seg, float, no_float, Value}
            end
    end;
value_fault(_) -> ok.

type_name(?SEG_INTEGER) -> integer;
type_name(?SEG_BINARY) -> binary;
type_name(?SEG_FLOAT) -> float;
type_name(?SEG_UTF8) -> utf8;
type_name(?SEG_UTF16) -> utf16;
type_name(?SEG_UTF32) -> utf32.

%% The BIF called by the first site outside the runtime's code, and the sites from it.
first_visible([{_, _, _, _, _, true, _} | Infos]) -> first_visible(Infos);
first_visible([Info | _] = Infos) -> {element(7, Info), Infos};
first_visible([]) -> {[], []}.

visible(Infos) -> [frame(I) || {_, _, _, _, _, false, _} = I <- Infos].

frame({M, F, A, _File, 0, _, _}) -> {M, F, A, []};
frame({M, F, A, File, Line, _, _}) -> {M, F, A, [{file, atom_to_list(File)}, {line, Line}]}.

args_or(Args, _) when is_list(Args) -> Args;
args_or(_, Arity) -> Arity.

error_info(Options, Loc) when is_list(Options) ->
    case lists:keyfind(error_info, 1, Options) of
        {error_info, Info} when is_map(Info) -> Loc ++ [{error_info, Info}];
        _ -> Loc
    end;
error_info(_, Loc) -> Loc.

%% A BIF's frame: where its errors are explained, as BEAM says it.
bif_location(M, []) -> [{error_info, #{module => error_module(M)}}];
bif_location(_, Loc) -> Loc.

error_module(erlang) -> erl_erts_errors;
error_module(erts_internal) -> erl_erts_errors;
error_module(persistent_term) -> erl_erts_errors;
error_module(atomics) -> erl_erts_errors;
error_module(counters) -> erl_erts_errors;
error_module(os) -> erl_kernel_errors;
error_module(code) -> erl_kernel_errors;
error_module(_) -> erl_stdlib_errors.

take(_, 0) -> [];
take([F | Fs], N) -> [F | take(Fs, N - 1)];
take([], _) -> [].

%% The value of `catch Expr` when Expr raised.
catch_value(throw, Value, _) -> Value;
catch_value(exit, Reason, _) -> {'EXIT', Reason};
catch_value(error, Reason, Raw) -> {'EXIT', {Reason, build(Raw)}}.

%% Nothing caught the exception; the stack is empty.  The first process's
%% end is the VM's: a report on stderr and status 1.  Another process
%% exits with Reason (exit), {Reason, Stack} (error) or {{nocatch, Value},
%% Stack} (throw); the last two are reported on stderr, as BEAM logs them.
uncaught(Class, Reason, Raw, true) ->
    Stack = build(Raw),
    xbeam:error_write(["xbeam: uncaught ", atom_to_list(Class), ": "]),
    xbeam:error_display(Reason),
    [begin xbeam:error_write("  in "), xbeam:error_display(F) end || F <- Stack],
    erlang:halt(1);
uncaught(Class, Reason, Raw, false) ->
    Exit = case Class of
               exit -> Reason;
               error -> {Reason, build(Raw)};
               throw -> {{nocatch, Reason}, build(Raw)}
           end,
    case Class of
        exit -> ok;
        _ ->
            xbeam:error_write(["xbeam: process ", pid_to_list(self()), " exited: "]),
            xbeam:error_display(Exit)
    end,
    xbeam:process_exit(Exit).
