%% binary_to_term/1 of every prefix of encoded terms of every kind, and of
%% copies with one byte changed: which decode and which raise badarg must
%% be as in erl (runtime-asm/etf.asm's quick scan must refuse no term the
%% decoder takes, and the decoder must take what erl takes).  One line per
%% term: o for a prefix or change that decodes, x for badarg.  (Changed
%% bytes only in terms without pids, ports and local funs: erl decodes a
%% changed one as another node's pid or port, or a fun of code it does
%% not have, which xbeam refuses.)
-module(etf_truncated).
-export([main/0]).
main() ->
    Terms = [0, 255, 256, -1, 1 bsl 40, -(1 bsl 300), 3.25, atom, 'ÿatom', '',
             "string", [1, 2 | 3], [a, [b]], {}, {a, {b, c}}, list_to_tuple(lists:seq(1, 300)),
             <<>>, <<1, 2, 3>>, <<5:3>>, <<1, 2, 7:5>>, #{}, #{a => 1, [b] => {c}},
             maps:from_list([{I, I} || I <- lists:seq(1, 40)]),
             fun lists:map/2, make_ref(), [{make_ref(), 1.0e300}, <<"bin">>, 'déjà']],
    Idents = [fun(X) -> X end, self(), hd(erlang:ports()), [self(), {fun() -> ok end}]],
    [begin
         B = term_to_binary(T),
         Cut = [mark(catch binary_to_term(binary:part(B, 0, N))) || N <- lists:seq(0, byte_size(B) - 1)],
         Changed = [mark(catch binary_to_term(change(B, P, X))) || lists:member(T, Terms),
                                                                     P <- lists:seq(1, min(byte_size(B) - 1, 60)),
                                                                     X <- [1, 16#80, 16#ff]],
         io:format("~s ~s~n", [Cut, Changed])
     end || T <- Terms ++ Idents],
    ok.

change(B, P, X) ->
    <<Pre:P/binary, Byte, Post/binary>> = B,
    <<Pre/binary, (Byte bxor X), Post/binary>>.

mark({'EXIT', {badarg, _}}) -> $x;
mark({'EXIT', _}) -> $?;
mark(_) -> $o.
