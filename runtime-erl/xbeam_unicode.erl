%% runtime-erl/xbeam_unicode.erl — the BIFs of OTP's unicode module:
%% characters_to_list/2, characters_to_binary/2 and bin_is_7bit/1
%% (unicode.erl builds the rest on them).
%%
%% Data is a binary or a deep list of code points and binaries; binaries
%% are read in the given encoding (latin1, unicode/utf8, utf16, utf32, with
%% their {Encoding, big | little} forms).  The result is the characters, or
%% {error, SoFar, Rest} at the first invalid one, or {incomplete, SoFar,
%% Rest} when a binary ends inside a character; anything that is not such
%% data is badarg, as in BEAM.
-module(xbeam_unicode).
-export([characters_to_list/2, characters_to_binary/2, bin_is_7bit/1]).

bin_is_7bit(B) when is_binary(B) -> xbeam:bin_is_7bit(B);
bin_is_7bit(B) -> erlang:error(badarg, [B]).

characters_to_list(Data, InEnc) -> characters(Data, InEnc, fun lists:reverse/1).

%% Bytes below 128 are the same characters, and the same UTF-8, in every
%% byte encoding: iodata of only those is its own result, made at once.
characters_to_binary(Data, InEnc) when InEnc =:= unicode; InEnc =:= utf8; InEnc =:= latin1 ->
    try iolist_to_binary(Data) of
        B ->
            case xbeam:bin_is_7bit(B) of
                true -> B;
                false -> characters_to_binary_slow(Data, InEnc)
            end
    catch
        error:_ -> characters_to_binary_slow(Data, InEnc)
    end;
characters_to_binary(Data, InEnc) ->
    characters_to_binary_slow(Data, InEnc).

characters_to_binary_slow(Data, InEnc) -> characters(Data, InEnc, fun utf8/1).

%% The characters of Data (or those before an error, or before a character
%% cut short), from the reversed list convert/3 collects, through Finish.
%% (A badarg names the arguments as given, as BEAM's does: the whole data
%% and the encoding as the caller spelled it.)
characters(Data, InEnc, Finish) ->
    Enc = encoding(Data, InEnc),
    try convert(Data, Enc, []) of
        {ok, Acc} -> Finish(Acc);
        {Error, Acc, Rest} -> {Error, Finish(Acc), Rest}
    catch
        error:badarg -> erlang:error(badarg, [Data, InEnc])
    end.

utf8(Reversed) -> << <<C/utf8>> || C <- lists:reverse(Reversed) >>.

encoding(_, latin1) -> latin1;
encoding(_, unicode) -> utf8;
encoding(_, utf8) -> utf8;
encoding(_, utf16) -> {utf16, big};
encoding(_, utf32) -> {utf32, big};
encoding(_, {utf16, E} = Enc) when E =:= big; E =:= little -> Enc;
encoding(_, {utf32, E} = Enc) when E =:= big; E =:= little -> Enc;
encoding(Data, Enc) -> erlang:error(badarg, [Data, Enc]).

convert(B, Enc, Acc) when is_binary(B) -> decode(B, Enc, Acc);
convert(L, Enc, Acc) when is_list(L) -> convert_list(L, Enc, Acc);
convert(Other, Enc, _) -> erlang:error(badarg, [Other, Enc]).

convert_list([], _, Acc) -> {ok, Acc};
convert_list([C | T], Enc, Acc) when is_integer(C) ->
    case valid(C, Enc) of
        true -> convert_list(T, Enc, [C | Acc]);
        false -> {error, Acc, [C | T]}
    end;
convert_list([H | T], Enc, Acc) when is_binary(H); is_list(H) ->
    case convert(H, Enc, Acc) of
        {ok, Acc1} -> convert_list(T, Enc, Acc1);
        {Error, Acc1, Rest} -> {Error, Acc1, [Rest | T]}
    end;
convert_list(Other, Enc, _) -> erlang:error(badarg, [Other, Enc]).

valid(C, latin1) -> C >= 0 andalso C =< 255;
valid(C, _) -> C >= 0 andalso C =< 16#10FFFF andalso (C < 16#D800 orelse C > 16#DFFF).

decode(<<>>, _, Acc) -> {ok, Acc};
decode(<<C, R/binary>>, latin1, Acc) -> decode(R, latin1, [C | Acc]);
decode(<<C/utf8, R/binary>>, utf8, Acc) -> decode(R, utf8, [C | Acc]);
decode(<<C/utf16-big, R/binary>>, {utf16, big} = E, Acc) -> decode(R, E, [C | Acc]);
decode(<<C/utf16-little, R/binary>>, {utf16, little} = E, Acc) -> decode(R, E, [C | Acc]);
decode(<<C/utf32-big, R/binary>>, {utf32, big} = E, Acc) -> decode(R, E, [C | Acc]);
decode(<<C/utf32-little, R/binary>>, {utf32, little} = E, Acc) -> decode(R, E, [C | Acc]);
decode(B, Enc, Acc) ->
    case incomplete(B, Enc) of
        true -> {incomplete, Acc, B};
        false -> {error, Acc, B}
    end.

%% Does the binary end inside a character (a valid start, too few bytes)?
incomplete(<<B0>>, utf8) -> B0 >= 16#C2 andalso B0 =< 16#F4;
incomplete(<<B0, B1>>, utf8) when B0 >= 16#E0, B0 =< 16#F4 -> B1 band 16#C0 =:= 16#80;
incomplete(<<B0, B1, B2>>, utf8) when B0 >= 16#F0, B0 =< 16#F4 ->
    B1 band 16#C0 =:= 16#80 andalso B2 band 16#C0 =:= 16#80;
incomplete(B, {utf16, _}) -> byte_size(B) < 2 orelse byte_size(B) =:= 2 orelse byte_size(B) =:= 3;
incomplete(B, {utf32, _}) -> byte_size(B) < 4;
incomplete(_, _) -> false.
