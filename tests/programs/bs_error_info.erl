%% A failed binary construction's error_info names the segment and what
%% was wrong with it, as BEAM's (runtime-erl/xbeam_stack.erl works it out
%% from the segments runtime-asm/bits.asm hands over): sizes first, then
%% values; types, sizes, short binaries, units, float sizes, system_limit.
-module(bs_error_info).
-export([main/0]).

main() ->
    Atom = id(some_atom), Bin = id(<<"abc">>), Neg = id(-1), HugeNeg = id(-1 bsl 64),
    Big = id(1 bsl 1500), Max = (1 bsl 59) - 1, Empty = id(<<>>), Float = id(42.0),
    Cases = [fun() -> <<Atom/binary, Bin/binary>> end,
             fun() -> <<Bin/binary, Atom/binary>> end,
             fun() -> <<1:32, "xyz", Bin/binary, Atom/binary>> end,
             fun() -> <<Atom:32>> end,
             fun() -> <<(lists:seq(1, 5)):32>> end,
             fun() -> <<42:Atom>> end,
             fun() -> <<42:Neg>> end,
             fun() -> <<42:HugeNeg>> end,
             fun() -> <<42:(1 bsl 58)/unit:255>> end,
             fun() -> <<42:(1 bsl 64)>> end,
             fun() -> <<Atom:10/binary>> end,
             fun() -> <<Bin:Atom/binary>> end,
             fun() -> <<Bin:10/binary>> end,
             fun() -> <<(id(<<1:1>>))/binary>> end,
             fun() -> <<0, (id(<<0:1111>>))/binary>> end,
             fun() -> <<Bin:(id(1 bsl 64))/binary>> end,
             fun() -> <<Atom:64/float>> end,
             fun() -> <<42.0:Neg/float>> end,
             fun() -> <<42.0:(id(1))/float>> end,
             fun() -> <<Big:64/float>> end,
             fun() -> <<Atom/utf8>> end,
             fun() -> <<(id(16#d800))/utf16>> end,
             fun() -> <<(id(-1))/utf32>> end,
             fun() -> <<0:(id(Max))/unit:32, 0:64>> end,
             fun() -> <<Empty:(id(Max))/binary-unit:33>> end,
             fun() -> <<Float:(id(Max))/float-unit:32, (id(0)):64>> end,
             fun() -> <<Atom:32, 42:Neg>> end],
    lists:foreach(fun(F) -> io:format("~p~n", [outcome(F)]) end, Cases).

outcome(F) ->
    try F() of
        V -> {no_error, V}
    catch
        error:Reason:St ->
            [{_, _, _, Loc} | _] = St,
            {error_info, #{cause := Cause} = Info} = lists:keyfind(error_info, 1, Loc),
            %% Called by the names the error_info gives, as erl_error does
            %% (the loader must put the function in the image unasked).
            #{module := Module, function := Function} = Info,
            #{general := Text} = Module:Function(Reason, St),
            {Reason, Cause, maps:get(function, Info), Text}
    end.

id(X) -> X.
