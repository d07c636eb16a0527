%% runtime-erl/xbeam_binary.erl — the binary module's searching BIFs:
%% compile_pattern/1, match/2,3, matches/2,3 and split/2,3 (BEAM's are C).
%%
%% A pattern is a non-empty binary or a non-empty list of them; a match is
%% the leftmost occurrence of any of them (the longest, where several
%% start at one place).  Options: {scope, {Start, Length}} (a negative
%% length counts back from Start); for split also global, trim and
%% trim_all.  Anything else is badarg, as in BEAM.  The search is plain:
%% length of the subject times the patterns' sizes.
-module(xbeam_binary).
-export([compile_pattern/1, match/2, match/3, matches/2, matches/3, split/2, split/3]).

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
