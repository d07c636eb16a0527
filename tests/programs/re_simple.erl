%% re:run/2,3 for simple patterns (runtime-erl/xbeam_re.erl): classes,
%% escapes, quantifiers, anchors, global and capture options; what PCRE gives.
-module(re_simple).
-export([main/0]).
main() ->
    S = <<"*** argument 1: not a list\n*** argument 2: bad\n">>,
    Ps = ["[*][*][*] argument \\d+:", "[*][*][*] argument 2:.*.*", "x*", "^\\*+", "bad$", "a.g", "[^a-z ]+", "ARG", "t\\s+a"],
    [io:format("~p~n", [catch re:run(S, P, [global, unicode])]) || P <- Ps],
    [io:format("~p~n", [catch re:run("hello world", P, O)]) || {P, O} <- [{"o w", []}, {"l+", [{capture, all, list}]}, {"L+", [caseless, {capture, first, binary}]}, {"z", []}, {"^h", [{capture, none}]}]],
    ok.
