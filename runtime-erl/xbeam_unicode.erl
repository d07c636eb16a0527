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

characters_to_list(Data, InEnc) -> characters(Data, InEnc, list).

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

characters_to_binary_slow(Data, InEnc) -> characters(Data, InEnc, binary).

%% The characters of Data (or those before an error, or before a character
%% cut short), as a list or a UTF-8 binary (To), from the reversed list
%% walk/5 collects.
%% BEAM's C code takes latin1 and UTF-8; other input encodings it hands to
%% unicode.erl's own Erlang (characters_to_binary_int/2 and
%% characters_to_list_int/2), and so does this.  (A badarg names the
%% arguments as given, as BEAM's does: the whole data and the encoding as
%% the caller spelled it.)
characters(Data, InEnc, To) ->
    case {encoding(Data, InEnc), To} of
        {latin1, _} -> characters(Data, InEnc, latin1, To);
        {utf8, _} -> characters(Data, InEnc, utf8, To);
        {_, list} -> unicode:characters_to_list_int(Data, InEnc);
        {_, binary} -> unicode:characters_to_binary_int(Data, InEnc)
    end.

finish(list) -> fun lists:reverse/1;
finish(binary) -> fun utf8/1.

%% (BEAM's characters_to_binary/2 takes a list of one binary as that
%% binary: the rest of an error in it is a binary, not a list.)
characters(Data, InEnc, Enc, To) ->
    Finish = finish(To),
    Walked = case Data of
                 [B] when is_binary(B), To =:= binary -> B;
                 _ -> Data
             end,
    try walk(Walked, [], <<>>, Enc, []) of
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

%% walk(Data, Tails, Pending, Enc, Acc): the bytes of the binaries are one
%% stream, so a character may begin in one binary and end in the next;
%% Pending holds such a beginning.  Tails are the tails of the lists
%% entered (innermost first); Acc the characters so far, reversed.  Where
%% it stops, the rest has BEAM's shape: what was not converted, from the
%% element where the problem is, in the lists around it (rest/2), with a
%% character's beginning carried over from earlier binaries first, on its
%% own; data that ends inside a character is {incomplete, ..., its bytes}.
walk(B, Tails, Pending, Enc, Acc) when is_binary(B) ->    % (a tail)
    bytes(<<Pending/binary, B/binary>>, byte_size(Pending), B, [], Tails, Enc, Acc);
walk([], [], Pending, _, Acc) ->
    done(Pending, Acc);
walk([], [T | Tails], Pending, Enc, Acc) ->
    walk(T, Tails, Pending, Enc, Acc);
walk([C | T] = L, Tails, Pending, Enc, Acc) when is_integer(C) ->
    if
        Pending =/= <<>> -> {error, Acc, [Pending, rest(L, Tails)]};
        true ->
            case valid(C, Enc) of
                true -> walk(T, Tails, <<>>, Enc, [C | Acc]);
                false -> {error, Acc, rest(L, Tails)}
            end
    end;
walk([B | T] = L, Tails, Pending, Enc, Acc) when is_binary(B) ->
    bytes(<<Pending/binary, B/binary>>, byte_size(Pending), L, T, Tails, Enc, Acc);
walk([H | T], Tails, Pending, Enc, Acc) when is_list(H) ->
    walk(H, [T | Tails], Pending, Enc, Acc);
walk(_, _, _, _, _) ->
    erlang:error(badarg).

%% bytes(Bytes, Carried, L, T, Tails, Enc, Acc): a binary's bytes, the
%% first Carried of them carried over from earlier binaries; L the list
%% from the binary on (the binary itself, as a list's tail), T after it.
bytes(Bytes, Carried, L, T, Tails, Enc, Acc) ->
    case decode(Bytes, Enc, Acc) of
        {ok, Acc1} -> walk(T, Tails, <<>>, Enc, Acc1);
        {more, Acc1, Left} -> walk(T, Tails, Left, Enc, Acc1);
        {bad, Acc1, Left} when byte_size(Bytes) - byte_size(Left) < Carried ->
            %% the character began in an earlier binary: that beginning,
            %% then this binary as the element at fault
            Begun = binary_part(Left, 0, Carried - (byte_size(Bytes) - byte_size(Left))),
            {error, Acc1, [Begun, rest(L, Tails)]};
        {bad, Acc1, Left} when is_list(L) -> {error, Acc1, rest([Left | T], Tails)};
        {bad, Acc1, Left} -> {error, Acc1, rest(Left, Tails)}
    end.

done(<<>>, Acc) -> {ok, Acc};
done(Pending, Acc) -> {incomplete, Acc, Pending}.

%% What is left, from the list L on, in the lists around it.
rest(L, []) -> L;
rest(L, [T | Tails]) -> rest([L | T], Tails).

valid(C, latin1) -> C >= 0 andalso C =< 255;
valid(C, _) -> C >= 0 andalso C =< 16#10FFFF andalso (C < 16#D800 orelse C > 16#DFFF).

%% decode(Bytes, Enc, Acc): {ok, Acc}; {more, Acc, Left} when the bytes end
%% inside a character (a valid beginning, too few bytes); {bad, Acc, Left}
%% at an invalid one.
decode(<<>>, _, Acc) -> {ok, Acc};
decode(<<C, R/binary>>, latin1, Acc) -> decode(R, latin1, [C | Acc]);
decode(<<C/utf8, R/binary>>, utf8, Acc) -> decode(R, utf8, [C | Acc]);
decode(B, Enc, Acc) ->
    case incomplete(B, Enc) of
        true -> {more, Acc, B};
        false -> {bad, Acc, B}
    end.

%% Does the binary end inside a character (a valid start, too few bytes)?
incomplete(<<B0>>, utf8) -> B0 >= 16#C2 andalso B0 =< 16#F4;
incomplete(<<B0, B1>>, utf8) when B0 >= 16#E0, B0 =< 16#F4 -> B1 band 16#C0 =:= 16#80;
incomplete(<<B0, B1, B2>>, utf8) when B0 >= 16#F0, B0 =< 16#F4 ->
    B1 band 16#C0 =:= 16#80 andalso B2 band 16#C0 =:= 16#80;
incomplete(_, _) -> false.
