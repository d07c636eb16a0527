%% runtime-erl/xbeam_md5.erl — MD5 (RFC 1321) for erlang:md5/1,
%% md5_init/0, md5_update/2 and md5_final/1 (emitter/bifs.ts maps them here).
%%
%% In: iodata.  Out: 16-byte digests.  The context is an 88-byte binary laid
%% out as erts' own (and so the same size, which md5_update/2 and
%% md5_final/1 check as BEAM does): the four state words, the message
%% length in bits (64 bits), then a 64-byte buffer whose first
%% (length div 8) rem 64 bytes are the input not yet hashed; all
%% little-endian.
-module(xbeam_md5).
-export([md5/1, md5_init/0, md5_update/2, md5_final/1]).

-define(MASK, 16#ffffffff).

md5(Data) ->
    md5_final(md5_update(md5_init(), Data)).

md5_init() ->
    context({16#67452301, 16#efcdab89, 16#98badcfe, 16#10325476}, 0, <<>>).

md5_update(Context, Data) ->
    {State, Bits, Pending} = open(Context),
    Bytes = iolist_to_binary(Data),
    All = <<Pending/binary, Bytes/binary>>,
    Whole = byte_size(All) - byte_size(All) rem 64,
    <<Blocks:Whole/binary, Rest/binary>> = All,
    context(blocks(Blocks, State), (Bits + 8 * byte_size(Bytes)) band 16#ffffffffffffffff, Rest).

md5_final(Context) ->
    {State, Bits, Pending} = open(Context),
    Zeros = (55 - byte_size(Pending)) rem 64,
    Pad = if Zeros < 0 -> Zeros + 64; true -> Zeros end,
    {A, B, C, D} = blocks(<<Pending/binary, 16#80, 0:(8 * Pad), Bits:64/little>>, State),
    <<A:32/little, B:32/little, C:32/little, D:32/little>>.

context({A, B, C, D}, Bits, Pending) ->
    Fill = 8 * (64 - byte_size(Pending)),
    <<A:32/little, B:32/little, C:32/little, D:32/little, Bits:64/little, Pending/binary, 0:Fill>>.

open(<<A:32/little, B:32/little, C:32/little, D:32/little, Bits:64/little, Buffer:64/binary>>) ->
    <<Pending:((Bits bsr 3) rem 64)/binary, _/binary>> = Buffer,
    {{A, B, C, D}, Bits, Pending};
open(_) ->
    error(badarg).

%% Whole 64-byte blocks, by position: matching out the rest each time
%% would make a part of it each time (a heap copy, once short).
blocks(Bytes, State) ->
    blocks(Bytes, 0, State).

blocks(Bytes, P, {A, B, C, D} = State) when P < byte_size(Bytes) ->
    M = list_to_tuple([W || <<W:32/little>> <= binary_part(Bytes, P, 64)]),
    {A1, B1, C1, D1} = steps(0, M, State),
    blocks(Bytes, P + 64, {(A + A1) band ?MASK, (B + B1) band ?MASK, (C + C1) band ?MASK, (D + D1) band ?MASK});
blocks(_, _, State) ->
    State.

%% The 64 steps, four rounds of 16 (RFC 1321, section 3.4).
steps(64, _, State) ->
    State;
steps(I, M, {A, B, C, D}) ->
    {F, G} = if
        I < 16 -> {(B band C) bor ((bnot B) band D), I};
        I < 32 -> {(D band B) bor ((bnot D) band C), (5 * I + 1) rem 16};
        I < 48 -> {B bxor C bxor D, (3 * I + 5) rem 16};
        true -> {C bxor (B bor ((bnot D) band ?MASK)), (7 * I) rem 16}
    end,
    Sum = (A + (F band ?MASK) + element(I + 1, sines()) + element(G + 1, M)) band ?MASK,
    S = element((I bsr 4) * 4 + (I band 3) + 1, shifts()),
    Rotated = ((Sum bsl S) bor (Sum bsr (32 - S))) band ?MASK,
    steps(I + 1, M, {D, (B + Rotated) band ?MASK, B, C}).

shifts() ->
    {7, 12, 17, 22, 5, 9, 14, 20, 4, 11, 16, 23, 6, 10, 15, 21}.

%% floor(abs(sin(I)) * 2^32) for I = 1..64.
sines() ->
    {16#d76aa478, 16#e8c7b756, 16#242070db, 16#c1bdceee, 16#f57c0faf, 16#4787c62a, 16#a8304613, 16#fd469501,
     16#698098d8, 16#8b44f7af, 16#ffff5bb1, 16#895cd7be, 16#6b901122, 16#fd987193, 16#a679438e, 16#49b40821,
     16#f61e2562, 16#c040b340, 16#265e5a51, 16#e9b6c7aa, 16#d62f105d, 16#02441453, 16#d8a1e681, 16#e7d3fbc8,
     16#21e1cde6, 16#c33707d6, 16#f4d50d87, 16#455a14ed, 16#a9e3e905, 16#fcefa3f8, 16#676f02d9, 16#8d2a4c8a,
     16#fffa3942, 16#8771f681, 16#6d9d6122, 16#fde5380c, 16#a4beea44, 16#4bdecfa9, 16#f6bb4b60, 16#bebfbc70,
     16#289b7ec6, 16#eaa127fa, 16#d4ef3085, 16#04881d05, 16#d9d4d039, 16#e6db99e5, 16#1fa27cf8, 16#c4ac5665,
     16#f4292244, 16#432aff97, 16#ab9423a7, 16#fc93a039, 16#655b59c3, 16#8f0ccc92, 16#ffeff47d, 16#85845dd1,
     16#6fa87e4f, 16#fe2ce6e0, 16#a3014314, 16#4e0811a1, 16#f7537e82, 16#bd3af235, 16#2ad7d2bb, 16#eb86d391}.
