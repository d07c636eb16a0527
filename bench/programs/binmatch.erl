-module(binmatch).
-export([main/0]).

%% Binary matching: a stream of type-length-value records, parsed again and
%% again with the bit syntax (length-prefixed bodies, big- and
%% little-endian integer fields of 4 to 32 bits, signed fields, utf8
%% text).  The binary is built once, outside the timed region; only the
%% parsing is timed.  The result is a checksum of every field.
main() ->
    Bin = build(2000, 42, []),
    T0 = erlang:monotonic_time(microsecond),
    R = loop(600, Bin, 0),
    T1 = erlang:monotonic_time(microsecond),
    erlang:display({binmatch, R, T1 - T0}).

loop(0, _, Acc) -> Acc;
loop(N, Bin, _) -> loop(N - 1, Bin, parse(Bin, 0)).

%% Each record is <<Type:8, Len:16, Body:Len/binary>>.
parse(<<>>, Sum) -> Sum band 16#FFFFFFF;
parse(<<Type:8, Len:16, Body:Len/binary, Rest/binary>>, Sum) ->
    parse(Rest, Sum + Type + Len + body(Type, Body)).

%% Type 1: fixed-layout integer fields.
body(1, <<A:32, B:16/little, C:8, D:4, E:4, F:12/signed, G:4>>) ->
    A + B * 3 + C * 5 + D * 7 + E * 11 + F * 13 + G;
%% Type 2: utf8 text; sum of code points weighted by position.
body(2, Text) -> text(Text, 1, 0);
%% Type 3: a count and then that many 24-bit little-endian integers.
body(3, <<Count:8, Ints:Count/binary-unit:24>>) -> ints(Ints, 0);
%% Type 4: comma-separated decimal numbers.
body(4, Csv) -> csv(Csv, 0, 0).

text(<<>>, _, Acc) -> Acc;
text(<<C/utf8, Rest/binary>>, I, Acc) -> text(Rest, I + 1, Acc + C * I).

ints(<<>>, Acc) -> Acc;
ints(<<X:24/little, Rest/binary>>, Acc) -> ints(Rest, Acc bxor X).

csv(<<>>, Cur, Acc) -> Acc + Cur;
csv(<<$,, Rest/binary>>, Cur, Acc) -> csv(Rest, 0, Acc + Cur);
csv(<<D, Rest/binary>>, Cur, Acc) when D >= $0, D =< $9 -> csv(Rest, Cur * 10 + D - $0, Acc).

%% Building the stream, from a linear congruential generator.
build(0, _, Acc) -> list_to_binary(lists:reverse(Acc));
build(N, S, Acc) ->
    S1 = next(S),
    Body = record(S1 rem 4 + 1, S1),
    build(N - 1, S1, [<<(S1 rem 4 + 1):8, (byte_size(Body)):16, Body/binary>> | Acc]).

record(1, S) ->
    <<(S * 7919):32, S:16/little, (S rem 256):8, (S rem 16):4, (S div 16 rem 16):4,
      (S rem 4096 - 2048):12/signed, (S rem 13):4>>;
record(2, S) ->
    Chars = [case I rem 5 of
                 0 -> $a + (S + I) rem 26;
                 1 -> 16#e0 + (S + I) rem 32;       % two bytes in utf8
                 2 -> 16#3b1 + (S + I) rem 24;      % Greek, two bytes
                 3 -> 16#4e00 + (S * I) rem 4096;   % CJK, three bytes
                 4 -> 16#1f600 + I rem 64            % emoji, four bytes
             end || I <- lists:seq(1, 10 + S rem 30)],
    unicode:characters_to_binary(Chars);
record(3, S) ->
    Count = 1 + S rem 40,
    <<Count:8, << <<((S * I) rem 16#1000000):24/little>> || I <- lists:seq(1, Count) >>/binary>>;
record(4, S) ->
    Nums = [integer_to_list((S * I) rem 100000) || I <- lists:seq(1, 5 + S rem 20)],
    list_to_binary(lists:join($,, Nums)).

next(S) -> (S * 75 + 74) rem 65537.
