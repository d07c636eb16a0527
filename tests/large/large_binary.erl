%% A binary of 2^27 bytes and more: its byte size is a bignum on a 32-bit
%% BEAM, and binary_part/3 takes such positions (tests/large-binary.test.ts).
-module(large_binary).
-export([main/0]).

main() ->
    N = (1 bsl 27) + 5,
    Half = <<0:(8 * (1 bsl 26))>>,
    B = list_to_binary([Half, Half, <<0, 0, 0>>, 1, 2]),   % (the bit syntax stops at 2^30 bits)
    io:format("~p~n", [[byte_size(B), bit_size(B), binary_part(B, N - 2, 2), binary_part(B, N, -3),
                        binary_part(B, {1 bsl 27, 5}), size(B)]]),
    %% The process's memory, the binary in it (xbeam: on its heap), is
    %% past 2^27 bytes: a bignum, not a small gone negative.
    {memory, M} = process_info(self(), memory),
    io:format("~p~n", [M > 0 andalso byte_size(B) > 0]),
    %% Lengths and starts past the end, however large, are badarg.
    io:format("~p~n", [[reason(fun() -> binary_part(B, 0, L) end) || L <- [N + 1, 1 bsl 31, 16#ffffffff, 1 bsl 32]]
                       ++ [reason(fun() -> binary_part(<<1, 2>>, S, 0) end) || S <- [3, 1 bsl 27, 16#ffffffff]]
                       ++ [reason(fun() -> binary_part(<<1, 2, 3>>, 2, L) end) || L <- [16#ffffffff, 1 bsl 31]]]).

reason(F) ->
    try F() of V -> {returned, V}
    catch error:R -> R
    end.
