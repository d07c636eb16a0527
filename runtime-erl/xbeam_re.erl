%% runtime-erl/xbeam_re.erl — re:run/2,3 and re:compile/1,2 for simple
%% patterns (BEAM's re is PCRE, in C).
%%
%% Supported: literal characters, `.`, classes `[...]` and `[^...]` with
%% ranges, the escapes \d \D \w \W \s \S and escaped punctuation, the
%% quantifiers * + ? (greedy, backtracking), and the anchors ^ and $.
%% Groups, alternation, counted repetition and the like raise
%% error:{xbeam_unsupported, {re, Pattern}}: a clear stop, not a wrong
%% answer.  Options: global, unicode, caseless, anchored, and
%% {capture, none | all | first | all_but_first, index | list | binary}
%% (a pattern has no groups, so a match is its whole text).  Positions are
%% in characters of the subject.
-module(xbeam_re).
-export([run/2, run/3, compile/1, compile/2]).

compile(P) -> compile(P, []).

compile(P, Opts) ->
    {ok, {xbeam_re, parse(chars(P), P), lists:member(caseless, Opts)}}.

run(S, P) -> run(S, P, []).

run(Subject, {xbeam_re, Nodes, Caseless}, Opts) ->
    run_nodes(Subject, Nodes, Caseless orelse lists:member(caseless, Opts), Opts);
run(Subject, P, Opts) when is_list(P); is_binary(P) ->
    run_nodes(Subject, parse(chars(P), P), lists:member(caseless, Opts), Opts);
run(Subject, P, Opts) -> erlang:error(badarg, [Subject, P, Opts]).

run_nodes(Subject, Nodes, Caseless, Opts) ->
    Chars = chars(Subject),
    Fold = fun(C) when Caseless, C >= $A, C =< $Z -> C + 32; (C) -> C end,
    Folded = [Fold(C) || C <- Chars],
    N1 = case Caseless of true -> fold_nodes(Nodes, Fold); false -> Nodes end,
    Anchored = lists:member(anchored, Opts),
    Matches = case lists:member(global, Opts) of
                  true -> search_all(N1, Folded, 0, Anchored);
                  false -> case search(N1, Folded, 0, Anchored) of
                               {Pos, Len, _} -> [{Pos, Len}];
                               nomatch -> []
                           end
              end,
    Capture = case lists:keyfind(capture, 1, Opts) of
                  {capture, What} -> {What, index};
                  {capture, What, Type} -> {What, Type};
                  false -> {all, index}
              end,
    case {Matches, Capture} of
        {[], _} -> nomatch;
        {_, {none, _}} -> match;
        _ ->
            Parts = [part(M, Capture, Chars, Subject) || M <- Matches],
            case lists:member(global, Opts) of
                true -> {match, Parts};
                false -> {match, hd(Parts)}
            end
    end.

part(_, {all_but_first, _}, _, _) -> [];
part({Pos, Len}, {_, index}, _, _) -> [{Pos, Len}];
part({Pos, Len}, {_, list}, Chars, _) -> [lists:sublist(Chars, Pos + 1, Len)];
part({Pos, Len}, {_, binary}, Chars, _) -> [unicode:characters_to_binary(lists:sublist(Chars, Pos + 1, Len))].

chars(B) when is_binary(B) ->
    case unicode:characters_to_list(B) of
        L when is_list(L) -> L;
        _ -> binary_to_list(B)
    end;
chars(L) when is_list(L) ->
    case unicode:characters_to_list(L) of
        R when is_list(R) -> R;
        _ -> erlang:error(badarg, [L])
    end;
chars(Other) -> erlang:error(badarg, [Other]).

%% --- the pattern ---

parse(Cs, P) -> parse(Cs, P, []).

parse([], _, Acc) -> lists:reverse(Acc);
parse([Q | Rest], P, [Last | Acc]) when Q =:= $*; Q =:= $+; Q =:= $? ->
    case Last of
        {rep, _, _, _} -> unsupported(P);
        bol -> unsupported(P);
        eol -> unsupported(P);
        _ -> ok
    end,
    {Min, Max} = case Q of $* -> {0, inf}; $+ -> {1, inf}; $? -> {0, 1} end,
    parse(Rest, P, [{rep, Min, Max, Last} | Acc]);
parse([$^ | Rest], P, Acc) -> parse(Rest, P, [bol | Acc]);
parse([$$ | Rest], P, Acc) -> parse(Rest, P, [eol | Acc]);
parse([$. | Rest], P, Acc) -> parse(Rest, P, [any | Acc]);
parse([$[ | Rest], P, Acc) ->
    {Node, Rest1} = class(Rest, P),
    parse(Rest1, P, [Node | Acc]);
parse([$\\, C | Rest], P, Acc) -> parse(Rest, P, [escape(C, P) | Acc]);
parse([C | _], P, _) when C =:= $(; C =:= $); C =:= $|; C =:= ${; C =:= $\\ -> unsupported(P);
parse([C | Rest], P, Acc) -> parse(Rest, P, [{char, C} | Acc]).

escape($d, _) -> {set, false, [digit]};
escape($D, _) -> {set, true, [digit]};
escape($w, _) -> {set, false, [word]};
escape($W, _) -> {set, true, [word]};
escape($s, _) -> {set, false, [space]};
escape($S, _) -> {set, true, [space]};
escape($n, _) -> {char, $\n};
escape($t, _) -> {char, $\t};
escape(C, P) when C >= $a, C =< $z; C >= $A, C =< $Z; C >= $0, C =< $9 -> unsupported(P);
escape(C, _) -> {char, C}.

class([$^ | Rest], P) -> class_items(Rest, P, true, []);
class(Rest, P) -> class_items(Rest, P, false, []).

class_items([$] | Rest], _, Neg, Items) when Items =/= [] -> {{set, Neg, Items}, Rest};
class_items([$\\, C | Rest], P, Neg, Items) ->
    Item = case escape(C, P) of
               {set, false, [Kind]} -> Kind;
               {char, Ch} -> {range, Ch, Ch};
               _ -> unsupported(P)
           end,
    class_items(Rest, P, Neg, [Item | Items]);
class_items([A, $-, B | Rest], P, Neg, Items) when B =/= $] -> class_items(Rest, P, Neg, [{range, A, B} | Items]);
class_items([C | Rest], P, Neg, Items) -> class_items(Rest, P, Neg, [{range, C, C} | Items]);
class_items([], P, _, _) -> unsupported(P).

unsupported(P) -> erlang:error({xbeam_unsupported, {re, P}}).

fold_nodes(Nodes, Fold) -> [fold_node(N, Fold) || N <- Nodes].

fold_node({char, C}, Fold) -> {char, Fold(C)};
fold_node({rep, Min, Max, N}, Fold) -> {rep, Min, Max, fold_node(N, Fold)};
fold_node({set, Neg, Items}, Fold) ->
    {set, Neg, [case I of {range, A, B} -> {range, Fold(A), Fold(B)}; _ -> I end || I <- Items]};
fold_node(N, _) -> N.

%% --- matching ---

search_all(Nodes, Cs, Pos, Anchored) ->
    case search(Nodes, Cs, Pos, Anchored) of
        nomatch -> [];
        {Start, 0, _} when Start - Pos >= length(Cs) -> [{Start, 0}];
        {Start, 0, _} ->
            Skip = Start - Pos + 1,
            [{Start, 0} | search_all(Nodes, lists:nthtail(Skip, Cs), Pos + Skip, Anchored)];
        {Start, Len, Rest} -> [{Start, Len} | search_all(Nodes, Rest, Start + Len, Anchored)]
    end.

search(Nodes, Cs, Pos, Anchored) ->
    case match(Nodes, Cs, Pos) of
        {ok, Rest} -> {Pos, length(Cs) - length(Rest), Rest};
        fail when Anchored -> nomatch;
        fail when Cs =:= [] -> nomatch;
        fail -> search(Nodes, tl(Cs), Pos + 1, Anchored)
    end.

match([], Cs, _) -> {ok, Cs};
match([bol | Ns], Cs, Pos) -> if Pos =:= 0 -> match(Ns, Cs, Pos); true -> fail end;
match([eol | Ns], Cs, Pos) -> if Cs =:= []; Cs =:= "\n" -> match(Ns, Cs, Pos); true -> fail end;
match([{rep, Min, Max, N} | Ns], Cs, Pos) -> rep(N, Min, Max, Ns, Cs, Pos, 0);
match([N | Ns], [C | Cs], Pos) ->
    case one(N, C) of
        true -> match(Ns, Cs, Pos + 1);
        false -> fail
    end;
match(_, [], _) -> fail.

%% Greedy: as many as may be, then back off one at a time.
rep(N, Min, Max, Ns, [C | Cs] = All, Pos, Count) when Max =:= inf; Count < Max ->
    case one(N, C) of
        true ->
            case rep(N, Min, Max, Ns, Cs, Pos + 1, Count + 1) of
                fail when Count >= Min -> match(Ns, All, Pos);
                R -> R
            end;
        false when Count >= Min -> match(Ns, All, Pos);
        false -> fail
    end;
rep(_, Min, _, Ns, Cs, Pos, Count) when Count >= Min -> match(Ns, Cs, Pos);
rep(_, _, _, _, _, _, _) -> fail.

one(any, C) -> C =/= $\n;
one({char, X}, C) -> X =:= C;
one({set, Neg, Items}, C) -> lists:any(fun(I) -> item(I, C) end, Items) =/= Neg.

item({range, A, B}, C) -> C >= A andalso C =< B;
item(digit, C) -> C >= $0 andalso C =< $9;
item(word, C) -> C >= $a andalso C =< $z orelse C >= $A andalso C =< $Z orelse C >= $0 andalso C =< $9 orelse C =:= $_;
item(space, C) -> C =:= $\s orelse C =:= $\t orelse C =:= $\n orelse C =:= $\r orelse C =:= $\f orelse C =:= $\v.
