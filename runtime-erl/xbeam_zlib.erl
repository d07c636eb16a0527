%% runtime-erl/xbeam_zlib.erl — zlib's compress2, byte for byte, for
%% term_to_binary's `compressed` option.
%%
%% Also the zlib module's one-shot functions, whose BEAM versions are NIFs
%% over the same zlib (compress/uncompress, zip/unzip for raw deflate data,
%% gzip/gunzip), at zlib's default level, 6, as BEAM's call it; inflating
%% is runtime-erl/xbeam_etf.erl's.
%%
%% erts compresses with the system's zlib (1.2.13 in Debian 12): a zlib
%% stream (RFC 1950) at the level asked for, windowBits 15, memLevel 8,
%% the default strategy, all the input at once.  So that xbeam's output is
%% erl's, both halves of zlib's deflate are done as zlib does them:
%% finding matches (runtime-asm/deflate.asm, which also ends the blocks)
%% and, here, each block's choice of a stored, fixed-code or dynamic-code
%% block, with zlib's Huffman trees (its heap, tie-breaks and length
%% limiting) and bit order.
-module(xbeam_zlib).
-export([compress/2, compress/1, uncompress/1, zip/1, unzip/1, gzip/1, gunzip/1]).

-define(L_CODES, 286).                      % literals, END_BLOCK, lengths
-define(D_CODES, 30).
-define(BL_CODES, 19).
-define(HEAP_SIZE, 573).                    % 2 * L_CODES + 1
-define(END_BLOCK, 256).
-define(MAX_BITS, 15).
-define(MAX_BL_BITS, 7).
-define(BLOCK_END, 16#FFFC).

%% compress(Data, Level) -> the zlib stream, or false when memory has no
%% room for the work.
compress(Data, Level) ->
    case deflate(Data, Level) of
        false -> false;
        Body -> <<(header(Level)):16, Body/binary, (erlang:adler32(Data)):32>>
    end.

%% deflate(Data, Level) -> raw deflate data, or false (no room).
deflate(Data, Level) ->
    case xbeam:deflate_lz(Data, Level) of
        false -> false;
        Syms -> blocks(Syms, Data, 0, [], 0, {0, 0, <<>>})
    end.

%% --- the zlib module's one-shot functions ---

compress(Data) ->
    B = iodata(Data),
    or_mem_error(compress(B, 6)).

zip(Data) -> or_mem_error(deflate(iodata(Data), 6)).

%% A gzip member (RFC 1952) as zlib writes one: no name, time 0, the extra
%% flags 0 (level 6), the operating system 3 (Unix).
gzip(Data) ->
    B = iodata(Data),
    Body = or_mem_error(deflate(B, 6)),
    <<31, 139, 8, 0, 0:32, 0, 3, Body/binary, (erlang:crc32(B)):32/little,
      (byte_size(B) band 16#ffffffff):32/little>>.

uncompress(Data) ->
    B = iodata(Data),
    inflated(fun() -> element(1, xbeam_etf:inflate_zlib(B, 0)) end).

unzip(Data) ->
    B = iodata(Data),
    inflated(fun() -> element(1, xbeam_etf:inflate_raw(B, 0)) end).

gunzip(Data) ->
    B = iodata(Data),
    inflated(fun() -> gunzip_member(B) end).

gunzip_member(<<31, 139, 8, Flags, _Time:32, _Extra, _Os, _/binary>> = B) ->
    {Out, End} = xbeam_etf:inflate_raw(B, gzip_fields(Flags, B)),
    <<Crc:32/little, Size:32/little>> = binary_part(B, End, 8),
    Crc = erlang:crc32(Out),
    Size = byte_size(Out) band 16#ffffffff,
    Out.

%% Where the deflate data starts: after the 10 bytes of the header and the
%% optional fields its flags announce (extra, name, comment, header CRC).
gzip_fields(Flags, B) ->
    P1 = case Flags band 4 of
             0 -> 10;
             _ -> <<_:10/binary, XLen:16/little, _/binary>> = B, 12 + XLen
         end,
    P2 = case Flags band 8 of 0 -> P1; _ -> after_zero(B, P1) end,
    P3 = case Flags band 16 of 0 -> P2; _ -> after_zero(B, P2) end,
    case Flags band 2 of 0 -> P3; _ -> P3 + 2 end.

after_zero(B, P) ->
    case binary:at(B, P) of
        0 -> P + 1;
        _ -> after_zero(B, P + 1)
    end.

iodata(Data) ->
    try iolist_to_binary(Data)
    catch error:_ -> erlang:error(badarg)
    end.

or_mem_error(false) -> erlang:error(mem_error);
or_mem_error(B) -> B.

%% Bad input is data_error, as zlib's Z_DATA_ERROR.
inflated(F) ->
    try F()
    catch error:_ -> erlang:error(data_error)
    end.

%% The stream's header: deflate, a 32 KiB window, zlib's level flags.
header(Level) ->
    Flags = if Level < 2 -> 0; Level < 6 -> 1; Level =:= 6 -> 2; true -> 3 end,
    H = ((8 + (7 bsl 4)) bsl 8) bor (Flags bsl 6),
    H + 31 - H rem 31.

%% The symbols of deflate_lz, block by block: Syms (reversed) holds
%% literals (0..255) and matches ({Length - 3, Distance}); Len counts the
%% block's bytes, from Pos.
blocks(<<U:16/little, Rest/binary>>, Data, Pos, Syms, Len, Out) when U >= ?BLOCK_END ->
    Last = (U bsr 1) band 1,
    Out1 = flush_block(lists:reverse(Syms), Data, Pos, Len, U band 1 =:= 1, Last, Out),
    case Last of
        1 -> windup(Out1);
        0 -> blocks(Rest, Data, Pos + Len, [], 0, Out1)
    end;
blocks(<<U:16/little, Rest/binary>>, Data, Pos, Syms, Len, Out) when U < 256 ->
    blocks(Rest, Data, Pos, [U | Syms], Len + 1, Out);
blocks(<<U:16/little, Dist:16/little, Rest/binary>>, Data, Pos, Syms, Len, Out) ->
    blocks(Rest, Data, Pos, [{U - 256, Dist} | Syms], Len + U - 253, Out).

%% zlib's _tr_flush_block: the cheapest of a stored block (when its bytes
%% are still in the window), fixed codes and dynamic codes, ties going to
%% the fixed codes and then stored.
flush_block(Syms, Data, Pos, StoredLen, Storable, Last, Out) ->
    {LFreq, DFreq} = freqs(Syms),
    {L, Opt1, Stat1} = build_tree(LFreq, ?L_CODES, static_llens(), fun lbits/1, 257, ?MAX_BITS, 0, 0),
    {D, Opt2, Stat2} = build_tree(DFreq, ?D_CODES, static_dlens(), fun dbits/1, 0, ?MAX_BITS, Opt1, Stat1),
    {BL, MaxBlIndex, Opt3} = build_bl_tree(L, D, Opt2),
    OptLenb0 = (Opt3 + 3 + 7) bsr 3,
    StaticLenb = (Stat2 + 3 + 7) bsr 3,
    OptLenb = if StaticLenb =< OptLenb0 -> StaticLenb; true -> OptLenb0 end,
    if
        StoredLen + 4 =< OptLenb, Storable ->
            Out1 = windup_bits(bits(Out, Last, 3)),
            Bytes = binary:part(Data, Pos, StoredLen),
            {0, 0, <<(element(3, Out1))/binary, StoredLen:16/little,
                     (bnot StoredLen band 16#ffff):16/little, Bytes/binary>>};
        StaticLenb =:= OptLenb ->
            compress_block(Syms, static_ltree(), static_dtree(), bits(Out, 2 + Last, 3));
        true ->
            Out1 = send_all_trees(L, D, BL, MaxBlIndex + 1, bits(Out, 4 + Last, 3)),
            compress_block(Syms, L, D, Out1)
    end.

%% The frequencies of the literal/length codes (END_BLOCK once) and the
%% distance codes, as tuples.
freqs(Syms) ->
    {LCodes, DCodes} = codes(Syms, [?END_BLOCK], []),
    {count(LCodes, ?L_CODES), count(DCodes, ?D_CODES)}.

codes([{Lc, Dist} | T], Ls, Ds) -> codes(T, [257 + lcode(Lc) | Ls], [dcode(Dist - 1) | Ds]);
codes([C | T], Ls, Ds) -> codes(T, [C | Ls], Ds);
codes([], Ls, Ds) -> {Ls, Ds}.

count(Codes, Size) -> count(lists:sort(Codes), 0, Size, []).

count(_, Size, Size, Acc) -> list_to_tuple(lists:reverse(Acc));
count(Sorted, I, Size, Acc) ->
    {C, Rest} = take(Sorted, I, 0),
    count(Rest, I + 1, Size, [C | Acc]).

take([I | T], I, C) -> take(T, I, C + 1);
take(L, _, C) -> {C, L}.

%% Length codes (of length - 3, 0..255) and distance codes (of distance -
%% 1, 0..32767), with their extra bits and bases.
lcode(255) -> 28;
lcode(Lc) when Lc < 8 -> Lc;
lcode(Lc) -> B = log2(Lc), 4 * (B - 1) + ((Lc bsr (B - 2)) band 3).

lbits(C) when C < 8; C =:= 28 -> 0;
lbits(C) -> C div 4 - 1.

lbase(C) when C < 8 -> C;
lbase(28) -> 255;
lbase(C) -> (4 + (C band 3)) bsl (C div 4 - 1).

dcode(D) when D < 4 -> D;
dcode(D) -> B = log2(D), 2 * B + ((D bsr (B - 1)) band 1).

dbits(C) when C < 4 -> 0;
dbits(C) -> C div 2 - 1.

dbase(C) when C < 4 -> C;
dbase(C) -> (2 + (C band 1)) bsl (C div 2 - 1).

blbits(16) -> 2;
blbits(17) -> 3;
blbits(18) -> 7;
blbits(_) -> 0.

log2(N) -> log2(N, -1).
log2(0, B) -> B;
log2(N, B) -> log2(N bsr 1, B + 1).

%% The fixed codes: lengths, and {Codes, Lens, MaxCode} as built trees are.
static_llens() ->
    list_to_tuple([if N < 144 -> 8; N < 256 -> 9; N < 280 -> 7; true -> 8 end || N <- lists:seq(0, 287)]).

static_dlens() -> erlang:make_tuple(?D_CODES, 5).

static_ltree() ->
    Lens = static_llens(),
    {gen_codes(Lens, 287, bl_count(tuple_to_list(Lens))), Lens, 287}.

static_dtree() ->
    {list_to_tuple([reverse(N, 5) || N <- lists:seq(0, ?D_CODES - 1)]), static_dlens(), ?D_CODES - 1}.

bl_count(Lens) ->
    list_to_tuple([length([L || L <- Lens, L =:= B]) || B <- lists:seq(0, ?MAX_BITS)]).

%% ---------------------------------------------------------------------------
%% zlib's build_tree, pqdownheap, gen_bitlen and gen_codes.  Nodes are
%% numbered as zlib's (leaves 0..Elems-1, then the inner nodes); tuples
%% are indexed by node + 1.  -> {{Codes, Lens, MaxCode}, Opt, Static}.

-record(ht, {freq, depth, dad, len, heap, hlen, hmax}).

hget(#ht{heap = H}, I) -> element(I + 1, H).
hset(T = #ht{heap = H}, I, V) -> T#ht{heap = setelement(I + 1, H, V)}.
nfreq(#ht{freq = F}, N) -> element(N + 1, F).
ndepth(#ht{depth = D}, N) -> element(N + 1, D).

build_tree(Freq0, Elems, Stree, XBits, XBase, MaxLength, Opt0, Stat0) ->
    Size = 2 * Elems + 1,
    Freq = list_to_tuple(tuple_to_list(Freq0) ++ lists:duplicate(Size - Elems, 0)),
    Leaves = [N || N <- lists:seq(0, Elems - 1), element(N + 1, Freq) =/= 0],
    MaxCode0 = case Leaves of [] -> -1; _ -> lists:last(Leaves) end,
    Heap0 = list_to_tuple([0 | Leaves] ++ lists:duplicate(?HEAP_SIZE - 1 - length(Leaves), 0)),
    T0 = #ht{freq = Freq, depth = erlang:make_tuple(Size, 0), dad = erlang:make_tuple(Size, 0),
             len = erlang:make_tuple(Size, 0), heap = Heap0, hlen = length(Leaves), hmax = ?HEAP_SIZE},
    {T1, MaxCode, Opt1, Stat1} = force_two(T0, MaxCode0, Stree, Opt0, Stat0),
    T2 = lists:foldl(fun(K, T) -> down(T, K) end, T1, lists:seq(T1#ht.hlen div 2, 1, -1)),
    T3 = combine(T2, Elems),
    {Lens, BlCount, Opt2, Stat2} = gen_bitlen(T3, MaxCode, Stree, XBits, XBase, MaxLength, Opt1, Stat1),
    {{gen_codes(Lens, MaxCode, BlCount), Lens, MaxCode}, Opt2, Stat2}.

%% At least two codes, so that some bit is always sent.
force_two(T = #ht{hlen = L}, MaxCode, Stree, Opt, Stat) when L < 2 ->
    {Node, MaxCode1} = if MaxCode < 2 -> {MaxCode + 1, MaxCode + 1}; true -> {0, MaxCode} end,
    T1 = hset(T#ht{hlen = L + 1}, L + 1, Node),
    T2 = T1#ht{freq = setelement(Node + 1, T1#ht.freq, 1), depth = setelement(Node + 1, T1#ht.depth, 0)},
    Stat1 = case Stree of none -> Stat; _ -> Stat - element(Node + 1, Stree) end,
    force_two(T2, MaxCode1, Stree, Opt - 1, Stat1);
force_two(T, MaxCode, _, Opt, Stat) -> {T, MaxCode, Opt, Stat}.

smaller(T, N, M) ->
    FN = nfreq(T, N),
    FM = nfreq(T, M),
    FN < FM orelse (FN =:= FM andalso ndepth(T, N) =< ndepth(T, M)).

down(T, K) -> down(T, K, hget(T, K), K * 2).

down(T = #ht{hlen = L}, K, V, J) when J =< L ->
    J1 = case J < L andalso smaller(T, hget(T, J + 1), hget(T, J)) of
             true -> J + 1;
             false -> J
         end,
    HJ = hget(T, J1),
    case smaller(T, V, HJ) of
        true -> hset(T, K, V);
        false -> down(hset(T, K, HJ), J1, V, J1 * 2)
    end;
down(T, K, V, _) -> hset(T, K, V).

combine(T0, Node) ->
    N = hget(T0, 1),
    L = T0#ht.hlen - 1,
    T1 = down(hset(T0#ht{hlen = L}, 1, hget(T0, L + 1)), 1),
    M = hget(T1, 1),
    Max = T1#ht.hmax - 2,
    T2 = hset(hset(T1#ht{hmax = Max}, Max + 1, N), Max, M),
    Depth = (max(ndepth(T2, N), ndepth(T2, M)) + 1) band 255,
    T3 = T2#ht{freq = setelement(Node + 1, T2#ht.freq, nfreq(T2, N) + nfreq(T2, M)),
               depth = setelement(Node + 1, T2#ht.depth, Depth),
               dad = setelement(M + 1, setelement(N + 1, T2#ht.dad, Node), Node)},
    T4 = down(hset(T3, 1, Node), 1),
    case L >= 2 of
        true -> combine(T4, Node + 1);
        false -> hset(T4#ht{hmax = Max - 1}, Max - 1, hget(T4, 1))
    end.

%% The code lengths, limited to MaxLength as zlib limits them.
%% -> {Lens, BlCount, Opt, Static}.
gen_bitlen(T0, MaxCode, Stree, XBits, XBase, MaxLength, Opt0, Stat0) ->
    Root = hget(T0, T0#ht.hmax),
    T1 = T0#ht{len = setelement(Root + 1, T0#ht.len, 0)},
    {T2, BlCount, Overflow, Opt1, Stat1} =
        lengths(T1, T1#ht.hmax + 1, MaxCode, Stree, XBits, XBase, MaxLength,
                erlang:make_tuple(?MAX_BITS + 1, 0), 0, Opt0, Stat0),
    case Overflow of
        0 -> {T2#ht.len, BlCount, Opt1, Stat1};
        _ ->
            BlCount1 = fix_overflow(BlCount, MaxLength, Overflow),
            {T3, Opt2} = relength(T2, MaxLength, BlCount1, ?HEAP_SIZE, MaxCode, Opt1),
            {T3#ht.len, BlCount1, Opt2, Stat1}
    end.

lengths(T, H, _, _, _, _, _, BlCount, Overflow, Opt, Stat) when H >= ?HEAP_SIZE ->
    {T, BlCount, Overflow, Opt, Stat};
lengths(T, H, MaxCode, Stree, XBits, XBase, MaxLength, BlCount, Overflow, Opt, Stat) ->
    N = hget(T, H),
    Bits0 = element(element(N + 1, T#ht.dad) + 1, T#ht.len) + 1,
    {Bits, Overflow1} = if Bits0 > MaxLength -> {MaxLength, Overflow + 1}; true -> {Bits0, Overflow} end,
    T1 = T#ht{len = setelement(N + 1, T#ht.len, Bits)},
    case N > MaxCode of
        true ->
            lengths(T1, H + 1, MaxCode, Stree, XBits, XBase, MaxLength, BlCount, Overflow1, Opt, Stat);
        false ->
            BlCount1 = setelement(Bits + 1, BlCount, element(Bits + 1, BlCount) + 1),
            X = if N >= XBase -> XBits(N - XBase); true -> 0 end,
            F = nfreq(T, N),
            Stat1 = case Stree of none -> Stat; _ -> Stat + F * (element(N + 1, Stree) + X) end,
            lengths(T1, H + 1, MaxCode, Stree, XBits, XBase, MaxLength, BlCount1, Overflow1,
                    Opt + F * (Bits + X), Stat1)
    end.

fix_overflow(BlCount, MaxLength, Overflow) when Overflow > 0 ->
    Bits = deepest_below(BlCount, MaxLength - 1),
    B1 = setelement(Bits + 1, BlCount, element(Bits + 1, BlCount) - 1),
    B2 = setelement(Bits + 2, B1, element(Bits + 2, B1) + 2),
    B3 = setelement(MaxLength + 1, B2, element(MaxLength + 1, B2) - 1),
    fix_overflow(B3, MaxLength, Overflow - 2);
fix_overflow(BlCount, _, _) -> BlCount.

deepest_below(BlCount, Bits) ->
    case element(Bits + 1, BlCount) of
        0 -> deepest_below(BlCount, Bits - 1);
        _ -> Bits
    end.

%% Give the leaves, from the heap's end down (the most frequent last),
%% the lengths the counts now say.
relength(T, 0, _, _, _, Opt) -> {T, Opt};
relength(T, Bits, BlCount, H, MaxCode, Opt) ->
    {T1, H1, Opt1} = relength_n(T, Bits, element(Bits + 1, BlCount), H, MaxCode, Opt),
    relength(T1, Bits - 1, BlCount, H1, MaxCode, Opt1).

relength_n(T, _, 0, H, _, Opt) -> {T, H, Opt};
relength_n(T, Bits, N, H0, MaxCode, Opt) ->
    H = H0 - 1,
    M = hget(T, H),
    case M > MaxCode of
        true -> relength_n(T, Bits, N, H, MaxCode, Opt);
        false ->
            Len = element(M + 1, T#ht.len),
            case Len =/= Bits of
                true ->
                    T1 = T#ht{len = setelement(M + 1, T#ht.len, Bits)},
                    relength_n(T1, Bits, N - 1, H, MaxCode, Opt + (Bits - Len) * nfreq(T, M));
                false -> relength_n(T, Bits, N - 1, H, MaxCode, Opt)
            end
    end.

%% Codes from lengths (canonical), bit-reversed for the LSB-first stream.
gen_codes(Lens, MaxCode, BlCount) ->
    Next = next_codes(BlCount, 1, 0, #{}),
    gen_codes(Lens, 0, MaxCode, Next, []).

next_codes(_, Bits, _, Acc) when Bits > ?MAX_BITS -> Acc;
next_codes(BlCount, Bits, Code, Acc) ->
    C = (Code + element(Bits, BlCount)) bsl 1,
    next_codes(BlCount, Bits + 1, C, Acc#{Bits => C}).

gen_codes(_, N, MaxCode, _, Acc) when N > MaxCode -> list_to_tuple(lists:reverse(Acc));
gen_codes(Lens, N, MaxCode, Next, Acc) ->
    case element(N + 1, Lens) of
        0 -> gen_codes(Lens, N + 1, MaxCode, Next, [0 | Acc]);
        Len ->
            C = maps:get(Len, Next),
            gen_codes(Lens, N + 1, MaxCode, Next#{Len := C + 1}, [reverse(C, Len) | Acc])
    end.

reverse(Code, Len) -> reverse(Code, Len, 0).
reverse(_, 0, R) -> R;
reverse(C, L, R) -> reverse(C bsr 1, L - 1, (R bsl 1) bor (C band 1)).

%% ---------------------------------------------------------------------------
%% The bit-length tree (zlib's scan_tree, build_bl_tree, send_tree).

-define(BL_ORDER, {16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15}).

%% A tree's code lengths 0..MaxCode, then zlib's guard.
len_list({_, Lens, MaxCode}) ->
    [element(N + 1, Lens) || N <- lists:seq(0, MaxCode)] ++ [16#ffff].

%% The runs of lengths as zlib cuts them: {Len, Count} with how it is
%% sent: {lens, Len, Count} (each alone), {rep, Len, Count, SendLen}
%% (code 16 after Len itself when SendLen), {zeros, Count}.
runs(Lens) ->
    [First | _] = Lens,
    {Max, Min} = case First of 0 -> {138, 3}; _ -> {7, 4} end,
    runs(Lens, -1, 0, Max, Min, []).

runs([_], _, _, _, _, Acc) -> lists:reverse(Acc);
runs([Cur, Next | T], Prev, Count0, Max, Min, Acc) ->
    Count = Count0 + 1,
    case Count < Max andalso Cur =:= Next of
        true -> runs([Next | T], Prev, Count, Max, Min, Acc);
        false ->
            Run = if
                      Count < Min -> {lens, Cur, Count};
                      Cur =/= 0 -> {rep, Cur, Count, Cur =/= Prev};
                      true -> {zeros, Count}
                  end,
            {Max1, Min1} = if Next =:= 0 -> {138, 3}; Cur =:= Next -> {6, 3}; true -> {7, 4} end,
            runs([Next | T], Cur, 0, Max1, Min1, [Run | Acc])
    end.

bl_freqs(Runs, F) ->
    lists:foldl(fun({lens, L, C}, A) -> inc(A, L, C);
                   ({rep, L, _, true}, A) -> inc(inc(A, L, 1), 16, 1);
                   ({rep, _, _, false}, A) -> inc(A, 16, 1);
                   ({zeros, C}, A) when C =< 10 -> inc(A, 17, 1);
                   ({zeros, _}, A) -> inc(A, 18, 1)
                end, F, Runs).

inc(T, I, N) -> setelement(I + 1, T, element(I + 1, T) + N).

build_bl_tree(L, D, Opt0) ->
    F = bl_freqs(runs(len_list(D)), bl_freqs(runs(len_list(L)), erlang:make_tuple(?BL_CODES, 0))),
    {BL, Opt1, _} = build_tree(F, ?BL_CODES, none, fun blbits/1, 0, ?MAX_BL_BITS, Opt0, 0),
    {_, BLLens, _} = BL,
    MaxBlIndex = max_blindex(BLLens, ?BL_CODES - 1),
    {BL, MaxBlIndex, Opt1 + 3 * (MaxBlIndex + 1) + 5 + 5 + 4}.

max_blindex(_, 2) -> 2;
max_blindex(Lens, I) ->
    case element(element(I + 1, ?BL_ORDER) + 1, Lens) of
        0 -> max_blindex(Lens, I - 1);
        _ -> I
    end.

send_all_trees(L = {_, _, LMax}, D = {_, _, DMax}, BL = {_, BLLens, _}, BlCodes, Out0) ->
    Out1 = bits(bits(bits(Out0, LMax + 1 - 257, 5), DMax + 1 - 1, 5), BlCodes - 4, 4),
    Out2 = lists:foldl(fun(Rank, O) -> bits(O, element(element(Rank + 1, ?BL_ORDER) + 1, BLLens), 3) end,
                       Out1, lists:seq(0, BlCodes - 1)),
    send_runs(runs(len_list(D)), BL, send_runs(runs(len_list(L)), BL, Out2)).

send_runs(Runs, BL, Out) ->
    lists:foldl(fun({lens, Len, C}, O) -> send_n(O, Len, BL, C);
                   ({rep, Len, C, true}, O) -> bits(code(code(O, Len, BL), 16, BL), C - 4, 2);
                   ({rep, _, C, false}, O) -> bits(code(O, 16, BL), C - 3, 2);
                   ({zeros, C}, O) when C =< 10 -> bits(code(O, 17, BL), C - 3, 3);
                   ({zeros, C}, O) -> bits(code(O, 18, BL), C - 11, 7)
                end, Out, Runs).

send_n(O, _, _, 0) -> O;
send_n(O, Len, BL, N) -> send_n(code(O, Len, BL), Len, BL, N - 1).

%% ---------------------------------------------------------------------------
%% The block's symbols in a tree's codes (zlib's compress_block).

compress_block([{Lc, Dist0} | T], LT, DT, Out0) ->
    LCode = lcode(Lc),
    Out1 = extra(code(Out0, LCode + 257, LT), Lc - lbase(LCode), lbits(LCode)),
    Dist = Dist0 - 1,
    DCode = dcode(Dist),
    Out2 = extra(code(Out1, DCode, DT), Dist - dbase(DCode), dbits(DCode)),
    compress_block(T, LT, DT, Out2);
compress_block([C | T], LT, DT, Out) ->
    compress_block(T, LT, DT, code(Out, C, LT));
compress_block([], LT, _, Out) -> code(Out, ?END_BLOCK, LT).

extra(Out, _, 0) -> Out;
extra(Out, V, N) -> bits(Out, V, N).

code(Out, C, {Codes, Lens, _}) -> bits(Out, element(C + 1, Codes), element(C + 1, Lens)).

%% The bit stream, least significant bit first: {Buf, Bits in Buf, Out}.
bits({Buf, N, Out}, V, L) -> bytes(Buf bor (V bsl N), N + L, Out).

bytes(Buf, N, Out) when N >= 8 -> bytes(Buf bsr 8, N - 8, <<Out/binary, Buf:8>>);
bytes(Buf, N, Out) -> {Buf, N, Out}.

%% To a byte boundary (zlib's bi_windup).
windup_bits({Buf, N, Out}) when N > 0 -> windup_bits({Buf bsr 8, N - 8, <<Out/binary, Buf:8>>});
windup_bits({_, _, Out}) -> {0, 0, Out}.

windup(Out) -> element(3, windup_bits(Out)).
