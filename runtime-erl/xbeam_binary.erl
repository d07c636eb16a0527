%% runtime-erl/xbeam_binary.erl — the binary module's BIFs (BEAM's are C)
%% but part/2,3 and list_to_bin/1 (runtime-asm): the searching ones,
%% compile_pattern/1, match/2,3, matches/2,3 and split/2,3, and at/2,
%% first/1, last/1, copy/1,2, referenced_byte_size/1,
%% encode_unsigned/1,2, decode_unsigned/1,2 and longest_common_prefix/1,
%% longest_common_suffix/1.
%%
%% A pattern is a non-empty binary or a non-empty list of them; a match is
%% the leftmost occurrence of any of them (the longest, where several
%% start at one place).  Options: {scope, {Start, Length}} (a negative
%% length counts back from Start); for split also global, trim and
%% trim_all.  Anything else is badarg, as in BEAM.  The search is plain:
%% length of the subject times the patterns' sizes.
-module(xbeam_binary).
-export([compile_pattern/1, match/2, match/3, matches/2, matches/3, split/2, split/3,
         copy/1, copy/2, referenced_byte_size/1, at/2, first/1, last/1,
         encode_unsigned/1, encode_unsigned/2, decode_unsigned/1, decode_unsigned/2,
         longest_common_prefix/1, longest_common_suffix/1]).

compile_pattern(P) -> {xbeam_pattern, patterns(P, [P])}.

%% Each takes the arguments it was called with, for its badarg.
match(S, P) -> match(S, P, [], [S, P]).

match(S, P, Opts) -> match(S, P, Opts, [S, P, Opts]).

match(S, P, Opts, Args) -> search(fun find/4, S, P, Opts, Args).

matches(S, P) -> matches(S, P, [], [S, P]).

matches(S, P, Opts) -> matches(S, P, Opts, [S, P, Opts]).

matches(S, P, Opts, Args) -> search(fun all/4, S, P, Opts, Args).

%% Find(Subject, Patterns, Start, End) within the scope the options give.
search(Find, S, P, Opts, Args) when is_binary(S), is_list(Opts) ->
    Ps = compiled(P, Args),
    {Start, End} = scope(Opts, S, Args),
    Find(S, Ps, Start, End);
search(_, _, _, _, Args) -> erlang:error(badarg, Args).

split(S, P) -> split(S, P, [], [S, P]).

split(S, P, Opts) -> split(S, P, Opts, [S, P, Opts]).

split(S, P, Opts, Args) when is_binary(S), is_list(Opts) ->
    Ps = compiled(P, Args),
    {Start, End} = scope([O || {scope, _} = O <- Opts], S, Args),
    [erlang:error(badarg, Args) || O <- Opts, not is_split_option(O)],
    Found = case lists:member(global, Opts) of
                true -> all(S, Ps, Start, End);
                false -> case find(S, Ps, Start, End) of nomatch -> []; M -> [M] end
            end,
    Parts = cut(S, 0, Found),
    case {lists:member(trim_all, Opts), lists:member(trim, Opts)} of
        {true, _} -> [B || B <- Parts, B =/= <<>>];
        {false, true} -> lists:reverse(lists:dropwhile(fun(B) -> B =:= <<>> end, lists:reverse(Parts)));
        _ -> Parts
    end;
split(_, _, _, Args) -> erlang:error(badarg, Args).

is_split_option(global) -> true;
is_split_option(trim) -> true;
is_split_option(trim_all) -> true;
is_split_option({scope, _}) -> true;
is_split_option(_) -> false.

cut(S, From, [{Pos, Len} | Ms]) -> [binary_part(S, From, Pos - From) | cut(S, Pos + Len, Ms)];
cut(S, From, []) -> [binary_part(S, From, byte_size(S) - From)].

compiled({xbeam_pattern, Ps}, _) -> Ps;
compiled(P, Args) -> patterns(P, Args).

patterns(B, _) when is_binary(B), byte_size(B) > 0 -> [B];
patterns([_ | _] = L, Args) ->
    [case B of
         _ when is_binary(B), byte_size(B) > 0 -> B;
         _ -> erlang:error(badarg, Args)
     end || B <- L];
patterns(_, Args) -> erlang:error(badarg, Args).

scope(Opts, S, Args) ->
    case [O || {scope, _} = O <- Opts] of
        [] -> {0, byte_size(S)};
        [{scope, {Start, Len}} | _] when is_integer(Start), is_integer(Len) ->
            {A, B} = if Len >= 0 -> {Start, Start + Len}; true -> {Start + Len, Start} end,
            case A >= 0 andalso B =< byte_size(S) of
                true -> {A, B};
                false -> erlang:error(badarg, Args)
            end;
        _ -> erlang:error(badarg, Args)
    end.

find(S, Ps, I, End) when I < End ->
    case [byte_size(P) || P <- Ps, I + byte_size(P) =< End, binary_part(S, I, byte_size(P)) =:= P] of
        [] -> find(S, Ps, I + 1, End);
        Lens -> {I, lists:max(Lens)}
    end;
find(_, _, _, _) -> nomatch.

all(S, Ps, I, End) ->
    case find(S, Ps, I, End) of
        nomatch -> [];
        {Pos, Len} = M -> [M | all(S, Ps, Pos + Len, End)]
    end.

%% copy/1,2: a new binary of N copies, never the argument itself (as
%% <<B/binary>> would be), doubled up from one copy: linear in the result.
copy(B) -> copy(B, 1, [B]).

copy(B, N) -> copy(B, N, [B, N]).

copy(B, N, _) when is_binary(B), is_integer(N), N >= 0 -> copies(B, N);
copy(_, _, Args) -> erlang:error(badarg, Args).

copies(_, 0) -> <<>>;
copies(B, 1) -> list_to_binary([B]);
copies(B, N) ->
    H = copies(B, N div 2),
    case N rem 2 of
        0 -> <<H/binary, H/binary>>;
        1 -> <<H/binary, H/binary, B/binary>>
    end.

%% referenced_byte_size/1: the bytes of the binary a part of it keeps alive
%% (a reference-counted binary's room), else its own size.
referenced_byte_size(B) when is_binary(B) ->
    case xbeam:procbin_info(B) of
        <<>> -> byte_size(B);
        <<_:32, Room:32/little, _/binary>> -> Room
    end;
referenced_byte_size(B) -> erlang:error(badarg, [B]).

at(B, N) when is_binary(B), is_integer(N), N >= 0, N < byte_size(B) ->
    <<_:N/binary, X, _/binary>> = B,
    X;
at(B, N) -> erlang:error(badarg, [B, N]).

first(<<X, _/binary>>) -> X;
first(B) -> erlang:error(badarg, [B]).

last(B) when is_binary(B), byte_size(B) > 0 ->
    N = byte_size(B) - 1,
    <<_:N/binary, X>> = B,
    X;
last(B) -> erlang:error(badarg, [B]).

encode_unsigned(N) -> encode_unsigned(N, big, [N]).

encode_unsigned(N, E) -> encode_unsigned(N, E, [N, E]).

encode_unsigned(N, big, _) when is_integer(N), N >= 0 -> <<N:(unsigned_bytes(N, 1) * 8)>>;
encode_unsigned(N, little, _) when is_integer(N), N >= 0 -> <<N:(unsigned_bytes(N, 1) * 8)/little>>;
encode_unsigned(_, _, Args) -> erlang:error(badarg, Args).

%% The bytes N takes (one for 0).
unsigned_bytes(N, K) when N < 256 -> K;
unsigned_bytes(N, K) -> unsigned_bytes(N bsr 8, K + 1).

decode_unsigned(B) -> decode_unsigned(B, big, [B]).

decode_unsigned(B, E) -> decode_unsigned(B, E, [B, E]).

decode_unsigned(B, big, _) when is_binary(B) ->
    <<N:(byte_size(B) * 8)>> = B,
    N;
decode_unsigned(B, little, _) when is_binary(B) ->
    <<N:(byte_size(B) * 8)/little>> = B,
    N;
decode_unsigned(_, _, Args) -> erlang:error(badarg, Args).

%% The bytes all of a non-empty list of binaries begin (end) with.
longest_common_prefix(Bs) ->
    common(Bs, fun(B, N) -> binary:at(B, N) end, [Bs]).

longest_common_suffix(Bs) ->
    common(Bs, fun(B, N) -> binary:at(B, byte_size(B) - 1 - N) end, [Bs]).

common([_ | _] = Bs, At, Args) ->
    case lists:all(fun is_binary/1, Bs) of
        true -> common(Bs, At, 0, lists:min([byte_size(B) || B <- Bs]));
        false -> erlang:error(badarg, Args)
    end;
common(_, _, Args) -> erlang:error(badarg, Args).

common(_, _, N, N) -> N;
common([B | Bs], At, N, Max) ->
    X = At(B, N),
    case lists:all(fun(O) -> At(O, N) =:= X end, Bs) of
        true -> common([B | Bs], At, N + 1, Max);
        false -> N
    end.
