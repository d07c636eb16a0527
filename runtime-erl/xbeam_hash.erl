%% runtime-erl/xbeam_hash.erl — erlang:phash/2, phash2/1 and phash2/2, with
%% BEAM's values.
%%
%% In:  any term.  Out: the same hash erl computes: phash/2 is BEAM's
%% make_hash (byte-wise multiplications by primes near 2^28), phash2 its
%% make_hash2 (Bob Jenkins's mix over 32-bit words); OTP 25's definitions
%% in erts/emulator/beam/utils.c, independent of the word size.  Both are
%% written here as recursions over the term, each taking the hash so far
%% and giving the next; every value stays in 32 bits.  Atoms are hashed by
%% their text (hashpjw, atom_hash/1), pids by their 15-bit number, ports by
%% their number, references by their first (18-bit) number word, funs by
%% module, index, uniq and environment (xbeam:fun_parts/1 and
%% xbeam:fun_entry/1, runtime-asm/termparts.asm), export funs by M, F, A.
-module(xbeam_hash).
-export([phash/2, phash2/1, phash2/2, atom_hash/1]).
-export([crc32_combine/3, adler32_combine/3]).
-export([mix2/4, bitstring_hash/2, int_pairs/3, positive_zero/1]).      % for xbeam_maps

-define(M32, 16#ffffffff).
-define(W(X), ((X) band ?M32)).

%% make_hash's primes (just above 2^28).
-define(FN1, 268440163).
-define(FN2, 268439161).
-define(FN3, 268435459).
-define(FN4, 268436141).
-define(FN5, 268438633).
-define(FN6, 268437017).
-define(FN8, 268437511).
-define(FN9, 268439627).
-define(FN10, 268440479).
-define(FN11, 268440577).
-define(FN12, 268440581).
-define(FN13, 268440593).
-define(FN14, 268440611).

%% make_hash2's constants: the golden ratio 0x9e3779b9 times N, mod 2^32.
-define(HC, 16#9e3779b9).
-define(HC(N), ((?HC * (N)) band ?M32)).

%% ---------------------------------------------------------------------------
%% The BIFs.

phash(Term, Range) ->
    R = range(Range),
    H = make_hash(Term, 0),
    case R of
        16#100000000 -> H + 1;
        _ -> 1 + H rem R
    end.

phash2(Term) ->
    make_hash2(Term, 0) band (1 bsl 27 - 1).

phash2(Term, Range) ->
    R = range(Range),
    make_hash2(Term, 0) rem R.

%% 1..2^32, else badarg.
range(R) when is_integer(R), R >= 1, R =< 16#100000000 -> R;
range(_) -> erlang:error(badarg).

%% An atom's hash value: hashpjw over its text, where a character below
%% 256 counts as one byte (BEAM folds its two UTF-8 bytes back into one)
%% and any other as its UTF-8 bytes.
atom_hash(A) ->
    pjw(atom_bytes(atom_to_list(A)), 0).

atom_bytes([C | Cs]) when C < 256 -> [C | atom_bytes(Cs)];
atom_bytes([C | Cs]) -> binary_to_list(<<C/utf8>>) ++ atom_bytes(Cs);
atom_bytes([]) -> [].

pjw([V | Vs], H0) ->
    H = (H0 bsl 4) + V,
    case H band 16#f0000000 of
        0 -> pjw(Vs, H);
        G -> pjw(Vs, (H bxor (G bsr 24)) bxor G)
    end;
pjw([], H) -> H.

%% ---------------------------------------------------------------------------
%% make_hash (phash/2).

make_hash([], H) ->
    ?W(H * ?FN3 + 1);
make_hash(A, H) when is_atom(A) ->
    ?W(H * ?FN1 + atom_hash(A));
make_hash(N, H) when is_integer(N) ->
    %% abs(N) byte by byte from the least significant, over whole 32-bit
    %% words; then the sign.
    Abs = abs(N),
    H1 = int_bytes(Abs, 4 * words32(Abs), H),
    ?W(H1 * (case N < 0 of true -> ?FN4; false -> ?FN3 end));
make_hash(F, H) when is_float(F) ->
    <<Hi:32, Lo:32>> = <<(positive_zero(F))/float>>,
    ?W(H * ?FN6 + (Hi bxor Lo));
make_hash(B, H) when is_bitstring(B) ->
    Size = bit_size(B) div 8,
    Bits = bit_size(B) rem 8,
    <<Bytes:Size/binary, Tail/bitstring>> = B,
    H1 = bytes_hash(Bytes, H),
    H2 = case Tail of
             <<>> -> H1;
             <<Last:Bits>> -> ?W(?W(H1 * ?FN1 + Last) * ?FN12 + Bits)
         end,
    ?W(H2 * ?FN4 + Size);
make_hash(T, H) when is_tuple(T) ->
    H1 = make_hash_all(tuple_to_list(T), H),
    ?W(H1 * ?FN9 + tuple_size(T));
make_hash([_ | _] = L, H) ->
    make_hash_list(L, H);
make_hash(M, H) when is_map(M) ->
    ?W(H * ?FN13 + ?FN14 + make_hash2(M, 0));
make_hash(P, H) when is_pid(P) ->
    <<Data:32/little>> = xbeam:ident_data(P),
    ?W(step(Data band 16#7fff, ?FN5, H) * ?FN6);
make_hash(P, H) when is_port(P) ->
    <<Number:32/little>> = xbeam:ident_data(P),
    ?W(step(Number, ?FN9, H) * ?FN10);
make_hash(R, H) when is_reference(R) ->
    <<W0:32/little, _/binary>> = xbeam:ident_data(R),
    ?W(step(W0, ?FN9, H) * ?FN10);
make_hash(F, H) when is_function(F) ->
    case xbeam:fun_parts(F) of
        {Index, _Arity, Env} when is_integer(Index) ->
            {Module, _Name, <<_:32, OldUniq:32/little, NewIndex:32/little, _/binary>>} =
                xbeam:fun_entry(Index),
            H1 = ?W(H * ?FN10 + length(Env)),
            H2 = ?W(H1 * ?FN1 + atom_hash(Module)),
            H3 = ?W(H2 * ?FN2 + NewIndex),
            H4 = ?W(H3 * ?FN2 + OldUniq),
            make_hash_all(Env, H4);
        {M, Fn, Arity} ->
            H1 = ?W(H * ?FN11 + Arity),
            H2 = ?W(H1 * ?FN1 + atom_hash(M)),
            ?W(H2 * ?FN1 + atom_hash(Fn))
    end.

make_hash_all([T | Ts], H) -> make_hash_all(Ts, make_hash(T, H));
make_hash_all([], H) -> H.

%% Bytes (0..255) take a cheaper step than other elements; a tail that is
%% not a list ends with one more multiplication.
make_hash_list([X | T], H) ->
    H1 = case is_integer(X) andalso X >= 0 andalso X =< 255 of
             true -> ?W(H * ?FN2 + X);
             false -> make_hash(X, H)
         end,
    case T of
        [_ | _] -> make_hash_list(T, H1);
        _ -> ?W(make_hash(T, H1) * ?FN8)
    end.

words32(0) -> 1;
words32(N) -> words32(N, 0).
words32(0, W) -> W;
words32(N, W) -> words32(N bsr 32, W + 1).

int_bytes(_, 0, H) -> H;
int_bytes(N, K, H) -> int_bytes(N bsr 8, K - 1, ?W(H * ?FN2 + (N band 255))).

bytes_hash(<<B, Rest/binary>>, H) -> bytes_hash(Rest, ?W(H * ?FN1 + B));
bytes_hash(<<>>, H) -> H.

%% UINT32_HASH_STEP: the four bytes of X, the least significant first.
step(X, P, H) ->
    H1 = ?W(H * P + (X band 255)),
    H2 = ?W(H1 * P + ((X bsr 8) band 255)),
    H3 = ?W(H2 * P + ((X bsr 16) band 255)),
    ?W(H3 * P + (X bsr 24)).

positive_zero(F) when F == 0 -> 0.0;
positive_zero(F) -> F.

%% ---------------------------------------------------------------------------
%% make_hash2 (phash2/1,2).  H is the hash of what came before; an atom and
%% [] at the very start (H = 0) are not mixed.

make_hash2(A, H) when is_atom(A) ->
    case H of
        0 -> atom_hash(A);
        _ -> mix1(atom_hash(A), ?HC(3), H)
    end;
make_hash2([], H) ->
    case H of
        0 -> 3468870702;
        _ -> mix1(2, ?HC(2), H)                 % 2: BEAM's NIL_DEF
    end;
make_hash2(N, H) when is_integer(N), N >= -(1 bsl 27), N < 1 bsl 27 ->
    case N < 0 of
        true -> mix1(?W(N), ?HC, mix1(-N, ?HC, H));
        false -> mix1(N, ?HC, H)
    end;
make_hash2(N, H) when is_integer(N) ->
    %% Beyond 28 bits: the magnitude's 32-bit words in pairs, the least
    %% significant first (a 64-bit BEAM's smalls give the same pair).
    Con = case N < 0 of true -> ?HC(10); false -> ?HC(11) end,
    int_pairs(abs(N), Con, H);
make_hash2(F, H) when is_float(F) ->
    <<Hi:32, Lo:32>> = <<(positive_zero(F))/float>>,
    mix2(Hi, Lo, ?HC(12), H);
make_hash2(B, H) when is_bitstring(B) ->
    bitstring_hash(B, H);
make_hash2(T, H) when is_tuple(T) ->
    make_hash2_all(tuple_to_list(T), mix1(tuple_size(T), ?HC(9), H));
make_hash2([_ | _] = L, H) ->
    make_hash2_list(L, 0, 0, H);
make_hash2(M, H) when is_map(M) ->
    %% Independent of the order of the pairs: each pair hashed on its own
    %% (from 0), the hashes xor-ed together.
    H1 = mix1(map_size(M), ?HC(16), H),
    case map_size(M) of
        0 -> H1;
        _ ->
            Xor = lists:foldl(fun({K, V}, X) -> X bxor make_hash2(V, make_hash2(K, 0)) end,
                              0, xbeam_maps:sorted(M)),
            mix1(Xor, ?HC(19), H1)
    end;
make_hash2(P, H) when is_pid(P) ->
    <<Data:32/little>> = xbeam:ident_data(P),
    mix1(Data band 16#7fff, ?HC(5), H);
make_hash2(P, H) when is_port(P) ->
    <<Number:32/little>> = xbeam:ident_data(P),
    mix2(Number, 0, ?HC(6), H);
make_hash2(R, H) when is_reference(R) ->
    <<W0:32/little, _/binary>> = xbeam:ident_data(R),
    mix1(W0, ?HC(7), H);
make_hash2(F, H) when is_function(F) ->
    case xbeam:fun_parts(F) of
        {Index, _Arity, Env} when is_integer(Index) ->
            {Module, _Name, <<_:32, OldUniq:32/little, NewIndex:32/little, _/binary>>} =
                xbeam:fun_entry(Index),
            H1 = mix2(length(Env), atom_hash(Module), ?HC, H),
            make_hash2_all(Env, mix2(NewIndex, OldUniq, ?HC, H1));
        {M, Fn, Arity} ->
            mix1(atom_hash(Fn), ?HC(14), mix2(Arity, atom_hash(M), ?HC, H))
    end.

%% A bitstring: its whole bytes by the block hash, then its last bits
%% (make_hash2's and make_internal_hash's alike).
bitstring_hash(B, H) ->
    Size = bit_size(B) div 8,
    Bits = bit_size(B) rem 8,
    Con = ?W(?HC(13) + H),
    case B of
        <<>> -> Con;
        <<Bytes:Size/binary, Tail/bitstring>> ->
            H1 = block_hash(Bytes, Con),
            case Tail of
                <<>> -> H1;
                <<Last:Bits>> -> mix2(Bits, Last, ?HC(15), H1)
            end
    end.

make_hash2_all([T | Ts], H) -> make_hash2_all(Ts, make_hash2(T, H));
make_hash2_all([], H) -> H.

%% A list: runs of bytes (0..255) go four to a 32-bit word; any other
%% element is hashed as a term and the rest of the list after it as a new
%% list; a tail that is not a list is hashed as a term.
make_hash2_list([B | T], C, Sh, H) when is_integer(B), B >= 0, B =< 255 ->
    Sh1 = (Sh bsl 8) + B,
    {C1, Sh2, H1} = case C of
                        3 -> {0, 0, mix1(Sh1, ?HC(4), H)};
                        _ -> {C + 1, Sh1, H}
                    end,
    case T of
        [_ | _] -> make_hash2_list(T, C1, Sh2, H1);
        _ -> make_hash2(T, bytes_word(C1, Sh2, H1))
    end;
make_hash2_list([X | T], C, Sh, H) ->
    make_hash2(T, make_hash2(X, bytes_word(C, Sh, H))).

bytes_word(0, _, H) -> H;
bytes_word(_, Sh, H) -> mix1(Sh, ?HC(4), H).

int_pairs(0, _, H) -> H;
int_pairs(N, Con, H) ->
    H1 = mix2(N band ?M32, (N bsr 32) band ?M32, Con, H),
    int_pairs(N bsr 64, Con, H1).

%% UINT32_HASH_2 and UINT32_HASH.
mix2(X, Y, Con, H) ->
    {_, _, C} = mix(?W(Con + X), ?W(Con + Y), H),
    C.

mix1(X, Con, H) -> mix2(X, 0, Con, H).

%% Bob Jenkins's block hash: 12 bytes at a time into a, b and c (c starts
%% as the hash so far), the last 0..11 bytes and the length at the end.
block_hash(Bytes, Init) ->
    block_hash(Bytes, ?HC, ?HC, Init, byte_size(Bytes)).

block_hash(<<A:32/little, B:32/little, C:32/little, Rest/binary>>, Ha, Hb, Hc, Len) ->
    {Ha1, Hb1, Hc1} = mix(?W(Ha + A), ?W(Hb + B), ?W(Hc + C)),
    block_hash(Rest, Ha1, Hb1, Hc1, Len);
block_hash(Last, Ha, Hb, Hc, Len) ->
    Pad = 11 - byte_size(Last),
    <<A:32/little, B:32/little, C:24/little>> = <<Last/binary, 0:(8 * Pad)>>,
    {_, _, Hc1} = mix(?W(Ha + A), ?W(Hb + B), ?W(Hc + Len + (C bsl 8))),
    Hc1.

mix(A0, B0, C0) ->
    A1 = ?W(A0 - B0 - C0) bxor (C0 bsr 13),
    B1 = ?W(B0 - C0 - A1) bxor ?W(A1 bsl 8),
    C1 = ?W(C0 - A1 - B1) bxor (B1 bsr 13),
    A2 = ?W(A1 - B1 - C1) bxor (C1 bsr 12),
    B2 = ?W(B1 - C1 - A2) bxor ?W(A2 bsl 16),
    C2 = ?W(C1 - A2 - B2) bxor (B2 bsr 5),
    A3 = ?W(A2 - B2 - C2) bxor (C2 bsr 3),
    B3 = ?W(B2 - C2 - A3) bxor ?W(A3 bsl 10),
    C3 = ?W(C2 - A3 - B3) bxor (B3 bsr 15),
    {A3, B3, C3}.

%% ---------------------------------------------------------------------------
%% erlang:crc32_combine/3 and adler32_combine/3 (crc32/1,2 and adler32/1,2
%% are runtime-asm/checksum.asm): the checksum of the concatenation of two
%% pieces of data from the checksums of each and the second one's length,
%% as zlib gives it.  Each argument is an integer 0..2^32-1.

-define(IS_U32(X), (is_integer(X) andalso X >= 0 andalso X =< ?M32)).

crc32_combine(C1, C2, Len2) when ?IS_U32(C1), ?IS_U32(C2), ?IS_U32(Len2) ->
    %% A CRC register shifted through Len2 zero bytes is a linear map of
    %% the register over GF(2); the map for 2^k bits is the square of the
    %% one for 2^(k-1).  Start from one zero bit and square to bytes.
    OneBit = list_to_tuple([16#EDB88320 | [1 bsl I || I <- lists:seq(0, 30)]]),
    Byte = gf2_square(gf2_square(gf2_square(OneBit))),
    gf2_shift(Byte, Len2, C1) bxor C2;
crc32_combine(C1, C2, Len2) -> erlang:error(badarg, [C1, C2, Len2]).

%% gf2_shift(Op, N, V): V through N applications of Op (Op squared for each
%% higher bit of N).
gf2_shift(_, 0, V) -> V;
gf2_shift(Op, N, V) ->
    V1 = case N band 1 of 1 -> gf2_apply(Op, V, 1, 0); 0 -> V end,
    case N bsr 1 of
        0 -> V1;
        N1 -> gf2_shift(gf2_square(Op), N1, V1)
    end.

%% The image of V: the columns of Op for V's set bits, added.
gf2_apply(_, 0, _, Acc) -> Acc;
gf2_apply(Op, V, I, Acc) ->
    Acc1 = case V band 1 of 1 -> Acc bxor element(I, Op); 0 -> Acc end,
    gf2_apply(Op, V bsr 1, I + 1, Acc1).

gf2_square(Op) -> list_to_tuple([gf2_apply(Op, C, 1, 0) || C <- tuple_to_list(Op)]).

-define(ADLER_BASE, 65521).

adler32_combine(A1, A2, Len2) when ?IS_U32(A1), ?IS_U32(A2), ?IS_U32(Len2) ->
    case Len2 of
        0 -> A1;                        % as erl (zlib's own answer differs)
        _ ->
            %% zlib's steps, reductions included, so that out-of-range sums
            %% give the same bits.
            Rem = Len2 rem ?ADLER_BASE,
            Sum1 = A1 band 16#ffff,
            Sum2 = (Rem * Sum1) rem ?ADLER_BASE,
            S1 = below(below(Sum1 + (A2 band 16#ffff) + ?ADLER_BASE - 1, ?ADLER_BASE), ?ADLER_BASE),
            S2 = below(below(Sum2 + ((A1 bsr 16) band 16#ffff) + ((A2 bsr 16) band 16#ffff)
                             + ?ADLER_BASE - Rem, 2 * ?ADLER_BASE), ?ADLER_BASE),
            ?W(S1 bor (S2 bsl 16))
    end;
adler32_combine(A1, A2, Len2) -> erlang:error(badarg, [A1, A2, Len2]).

below(X, Limit) when X >= Limit -> X - Limit;
below(X, _) -> X.
