%% erlang:crc32/1,2, adler32/1,2 and their _combine/3 (runtime-asm/checksum.asm,
%% runtime-erl/xbeam_hash.erl) against erl: fixed inputs, iolists of every
%% shape, pseudo-random data split at random points (the combined checksum
%% must be the whole one's), values at 2^27 and 2^32 - 1, and bad arguments.
-module(checksums).
-export([main/0]).

main() ->
    Fixed = [<<>>, <<"a">>, <<"hello">>, <<"123456789">>, <<0:8000>>, <<255:8, 0:8, 255:8>>,
             "abc", [<<"ab">>, $c, [[<<>>], "de"] | <<"f">>], [[[]]], list_to_binary(lists:seq(0, 255))],
    io:format("~w~n", [[{erlang:crc32(D), erlang:adler32(D)} || D <- Fixed]]),
    io:format("~w~n", [[{erlang:crc32(C, <<"more">>), erlang:adler32(C, "more")}
                        || C <- [0, 1, 16#7ffffff, 16#8000000, 16#ffffffff]]]),
    Big = bytes(200000, 7, []),
    io:format("~w~n", [{erlang:crc32(Big), erlang:adler32(Big)}]),
    io:format("~w~n", [splits(Big, 40, 12345, [])]),
    io:format("~w~n", [[{erlang:crc32_combine(A, B, L), erlang:adler32_combine(A, B, L)}
                        || A <- [0, 5, 16#ffffffff], B <- [0, 16#12345678], L <- [0, 1, 65521, 65522, 16#ffffffff]]]),
    io:format("~w~n", [[reason(F) || F <- [fun() -> erlang:crc32(foo) end,
                                          fun() -> erlang:crc32([256]) end,
                                          fun() -> erlang:crc32(-1, <<>>) end,
                                          fun() -> erlang:crc32(1 bsl 32, <<>>) end,
                                          fun() -> erlang:adler32([<<1>> | a]) end,
                                          fun() -> erlang:adler32(x, <<>>) end,
                                          fun() -> erlang:crc32_combine(1, 2, -1) end,
                                          fun() -> erlang:adler32_combine(1, 1 bsl 32, 0) end]]]),
    ok.

%% N pseudo-random bytes (a linear congruential generator).
bytes(0, _, Acc) -> list_to_binary(Acc);
bytes(N, S, Acc) ->
    S1 = (S * 1103515245 + 12345) band 16#7fffffff,
    bytes(N - 1, S1, [(S1 bsr 16) band 255 | Acc]).

%% K random split points: the combined checksums of the parts must equal the whole's.
splits(_, 0, _, Acc) -> lists:reverse(Acc);
splits(Bin, K, S, Acc) ->
    S1 = (S * 1103515245 + 12345) band 16#7fffffff,
    At = S1 rem (byte_size(Bin) + 1),
    <<A:At/binary, B/binary>> = Bin,
    Crc = erlang:crc32_combine(erlang:crc32(A), erlang:crc32(B), byte_size(B)),
    Adler = erlang:adler32_combine(erlang:adler32(A), erlang:adler32(B), byte_size(B)),
    Ok = {Crc, Adler} =:= {erlang:crc32(Bin), erlang:adler32(Bin)}
        andalso Crc =:= erlang:crc32(erlang:crc32(A), B),
    splits(Bin, K - 1, S1, [{At rem 1000, Ok} | Acc]).

reason(F) ->
    try F() of V -> {returned, V}
    catch error:R:St -> {R, element(1, hd(St)), element(2, hd(St)), element(3, hd(St))}
    end.
