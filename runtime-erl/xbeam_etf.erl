%% runtime-erl/xbeam_etf.erl — the external term format, as OTP 25 writes
%% and reads it (erts/doc/src/erl_ext_dist.xml; the tag numbers below).
%%
%% In:  terms, and binaries in the format.  Out: erlang:term_to_binary/1,2,
%% binary_to_term/1,2 and external_size/1,2 (emitter/bifs.ts maps them
%% here).  The output is byte for byte erl's for every term xbeam has, with
%% these choices of erts: latin1 atoms as ATOM_EXT unless
%% {minor_version, 2}; proper lists of at most 65535 bytes as STRING_EXT;
%% a map's pairs in maps:to_list/1's order (BEAM's, runtime-erl/
%% xbeam_maps.erl), or in key order with `deterministic`;
%% pids and references of node nonode@nohost with creation 0.  Pids,
%% references and export funs are taken apart and built with the small
%% BIFs of runtime-asm/etf.asm.
%%
%% Local funs (NEW_FUN_EXT): read back by module, index and the module's
%% md5 among the image's lambdas (badarg for one the image lacks).  Not here:
%% ports of other nodes.  The `compressed` output is zlib's, byte for byte
%% (runtime-erl/xbeam_zlib.erl); compressed input (tag 80) is inflated here.
-module(xbeam_etf).

-define(LAMBDAS_KEY, {?MODULE, lambdas}).
-export([term_to_binary/1, term_to_binary/2, term_to_iovec/1, term_to_iovec/2, binary_to_term/1, binary_to_term/2,
         external_size/1, external_size/2, inflate_raw/2, inflate_zlib/2]).

%% The sizing pass over a large binary goes in steps, one call of trap/1
%% each, where the scheduler may switch the process out: BEAM's C code
%% yields there, trapping to erts_internal:binary_to_term_trap/1, which is
%% what trap/1 shows as in running traces.
-xbeam_shown_as([{trap, 1, {erts_internal, binary_to_term_trap, 1}}]).
-define(SCAN_IN_STEPS, 65536).              % bytes from which it goes in steps
-define(SCAN_STEP, 64).                     % terms per step

-define(VERSION, 131).
-define(NODE, 'nonode@nohost').

%% ---------------------------------------------------------------------------
%% Writing.

term_to_binary(T) ->
    to_binary(enc(T, false, {true, false})).

term_to_binary(T, Opts) ->
    {Utf8, Flags, Level} = t2b_opts(Opts, false, {true, false}, 0),
    case Level of
        0 -> to_binary(enc(T, Utf8, Flags));
        _ -> compressed(to_binary(enc(T, Utf8, Flags)), Level)
    end.

%% `compressed`: erts compresses the encoding with zlib (runtime-erl/
%% xbeam_zlib.erl) and keeps the result only when it is at least 5 bytes
%% shorter than the encoding (the room COMPRESSED's tag and size take).
compressed(<<?VERSION, Plain/binary>> = B, Level) when byte_size(Plain) >= 5 ->
    case xbeam_zlib:compress(Plain, Level) of
        Z when is_binary(Z), byte_size(Z) =< byte_size(Plain) - 5 ->
            <<?VERSION, 80, (byte_size(Plain)):32, Z/binary>>;
        _ -> B
    end;
compressed(B, _) -> B.

%% The encoding with the version byte.
to_binary(IoData) ->
    case xbeam:iolist_to_bin([?VERSION, IoData], true) of
        B when is_binary(B) -> B;
        Reason -> erlang:error(Reason)
    end.

%% A local fun's NEW_FUN_EXT starts with its own size, which counts the
%% funs nested in it: enc sizes each fun's body as it makes it, with
%% fsize, which takes a nested fun's size from the size field of its
%% encoding ([112, <<Size:32>> | Body]: no other encoding is a list of 112
%% then a binary) instead of walking it again.  A chain of N nested funs
%% is so walked once, and built once.
fsize(B) when is_binary(B) -> byte_size(B);
fsize(I) when is_integer(I) -> 1;
fsize([112, <<Size:32>> | _]) -> 1 + Size;
fsize([H | T]) -> fsize_cells(T, fsize(H));
fsize([]) -> 0.

%% The rest of a list: its cells' heads are elements, its tail iodata.
fsize_cells([H | T], Acc) -> fsize_cells(T, Acc + fsize(H));
fsize_cells([], Acc) -> Acc;
fsize_cells(B, Acc) when is_binary(B) -> Acc + byte_size(B).

%% An I/O vector: here, the one binary term_to_binary makes.
term_to_iovec(T) -> [erlang:term_to_binary(T)].

term_to_iovec(T, Opts) -> [erlang:term_to_binary(T, Opts)].

external_size(T) ->
    1 + esize(T, {true, false}).

external_size(T, Opts) ->
    NewFloats = size_opts(Opts, true),
    1 + esize(T, {NewFloats, false}).

%% The size of enc(T, false, Flags), without making it: lists, tuples,
%% maps and binaries are counted, the rest encoded.  A term may share its
%% parts many times over: [T | T] counts T once.
esize([], _) -> 1;
esize(L, N) when is_list(L) ->
    case string_length(L, 0) of
        no -> esize_cells(L, N, 5);
        Len -> 3 + Len
    end;
esize(T, N) when is_tuple(T) ->
    Size = tuple_size(T),
    esize_elements(T, 1, Size, N, if Size =< 255 -> 2; true -> 5 end);
esize(M, N) when is_map(M) ->
    lists:foldl(fun({K, V}, Acc) -> Acc + esize(K, N) + esize(V, N) end, 5, xbeam_maps:sorted(M));
esize(B, _) when is_binary(B) -> 5 + byte_size(B);
esize(B, _) when is_bitstring(B) -> 6 + byte_size(B);
esize(T, N) -> fsize(enc(T, false, N)).

esize_cells([H | T], N, Acc) ->
    case erts_debug:same(H, T) of
        true ->
            %% [T | T]: the rest of this list (C) is counted once; the
            %% element, the same term standing alone, follows from it.
            C = esize_cells(T, N, 0),
            Acc + C + case H of
                          [_ | _] -> case string_length(H, 0) of no -> 5 + C; Len -> 3 + Len end;
                          _ -> C
                      end;
        false -> esize_cells(T, N, Acc + esize(H, N))
    end;
esize_cells(Tail, N, Acc) -> Acc + esize(Tail, N).

esize_elements(_, I, Size, _, Acc) when I > Size -> Acc;
esize_elements(T, I, Size, N, Acc) -> esize_elements(T, I + 1, Size, N, Acc + esize(element(I, T), N)).

%% Options as erts parses them: the last minor_version wins, and the last
%% compression level (`compressed` is zlib's default, 6).  -> {Utf8 atoms,
%% {NewFloats, Deterministic}, Level}.
t2b_opts([], Utf8, Flags, L) -> {Utf8, Flags, L};
t2b_opts([compressed | T], U, N, _) -> t2b_opts(T, U, N, 6);
t2b_opts([deterministic | T], U, {N, _}, L) -> t2b_opts(T, U, {N, true}, L);
t2b_opts([{minor_version, 0} | T], _, {_, D}, L) -> t2b_opts(T, false, {false, D}, L);
t2b_opts([{minor_version, 1} | T], _, {_, D}, L) -> t2b_opts(T, false, {true, D}, L);
t2b_opts([{minor_version, 2} | T], _, {_, D}, L) -> t2b_opts(T, true, {true, D}, L);
t2b_opts([{compressed, L} | T], U, N, _) when is_integer(L), L >= 0, L =< 9 -> t2b_opts(T, U, N, L);
t2b_opts(_, _, _, _) -> error(badarg).

size_opts([], NewFloats) -> NewFloats;
size_opts([{minor_version, 0} | T], _) -> size_opts(T, false);
size_opts([{minor_version, 1} | T], _) -> size_opts(T, true);
size_opts(_, _) -> error(badarg).

%% enc(Term, Utf8Atoms, {NewFloats, Deterministic}) -> iodata, without the
%% version byte.
enc(I, _, _) when is_integer(I), I >= 0, I =< 255 -> [97, I];
enc(I, _, _) when is_integer(I), I >= -16#80000000, I =< 16#7fffffff -> <<98, I:32/signed>>;
enc(I, _, _) when is_integer(I) -> enc_big(I);
enc(F, _, {true, _}) when is_float(F) -> <<70, F:64/float>>;
enc(F, _, {false, _}) when is_float(F) ->
    Text = float_to_list(F, [{scientific, 20}]),
    [99, Text | lists:duplicate(31 - length(Text), 0)];
enc(A, U, _) when is_atom(A) -> enc_atom(A, U);
enc([], _, _) -> 106;
enc(L, U, N) when is_list(L) ->
    case string_length(L, 0) of
        no -> enc_list(L, U, N);
        Len -> [<<107, Len:16>> | L]
    end;
enc(T, U, N) when is_tuple(T) ->
    Size = tuple_size(T),
    Head = if Size =< 255 -> [104, Size]; true -> <<105, Size:32>> end,
    [Head | enc_elements(T, 1, Size, U, N)];
enc(B, _, _) when is_binary(B) -> [<<109, (byte_size(B)):32>> | B];
enc(B, _, _) when is_bitstring(B) ->
    Bits = bit_size(B) rem 8,
    Bytes = byte_size(B),
    <<77, Bytes:32, Bits, B/bitstring, 0:(8 - Bits)>>;
enc(M, U, N) when is_map(M) ->
    %% maps:to_list/1's order (erts writes a hash trie in its reverse
    %% order), or with `deterministic` the keys' order at every size.
    Pairs = case N of
                {_, true} -> xbeam_maps:sorted(M);
                {_, false} -> maps:to_list(M)
            end,
    [<<116, (map_size(M)):32>> | [[enc(K, U, N), enc(V, U, N)] || {K, V} <- Pairs]];
enc(P, U, _) when is_pid(P) ->
    Num = xbeam:etf_word(P, 0) bsr 4,
    [88, enc_atom(?NODE, U), <<(Num band 16#7fff):32, (Num bsr 15):32, 0:32>>];
enc(P, U, _) when is_port(P) ->
    <<Num:32/little>> = xbeam:ident_data(P),
    [89, enc_atom(?NODE, U), <<Num:32, 0:32>>];
enc(R, U, _) when is_reference(R) ->
    %% Three numbers, of this node (creation 0) or another (its node and
    %% creation follow them: docs/abi.md).
    Creation = case xbeam:etf_word(R, 0) bsr 6 of 5 -> xbeam:etf_word(R, 5); 3 -> 0 end,
    [<<90, 3:16>>, enc_atom(node(R), U), <<Creation:32>>
     | [<<(xbeam:etf_word(R, I)):32>> || I <- [1, 2, 3]]];
enc(F, U, NF) when is_function(F) ->
    case xbeam:etf_word(F, 0) band 16#3f of
        16#1c ->
            Mod = xbeam:etf_term(F, 1),
            Arity = xbeam:etf_term(F, 2),
            Name = xbeam:etf_term(F, 3),
            [113, enc_atom(Mod, U), enc_atom(Name, U), 97, Arity];
        _ ->
            %% NEW_FUN_EXT: its size (itself included), arity, the module's
            %% md5, the index in FunT, the free variables' count, module,
            %% old index and uniq, the creator (here: this process), the
            %% free variables.
            {Image, Arity, Env} = xbeam:fun_parts(F),
            {Mod, _, <<OldIndex:32/little, OldUniq:32/little, Index:32/little, Md5:16/binary>>} =
                xbeam:fun_entry(Image),
            Body = [<<Arity, Md5/binary, Index:32, (length(Env)):32>>, enc_atom(Mod, U),
                    enc(OldIndex, U, NF), enc(OldUniq, U, NF), enc(xbeam:etf_term(F, 3), U, NF)
                    | [enc(V, U, NF) || V <- Env]],
            [112, <<(4 + fsize_cells(Body, 0)):32>> | Body]
    end;
enc(_, _, _) ->
    error(badarg).

enc_elements(_, I, Size, _, _) when I > Size -> [];
enc_elements(T, I, Size, U, N) ->
    [enc(element(I, T), U, N) | enc_elements(T, I + 1, Size, U, N)].

%% A proper list of at most 65535 bytes is a string.
string_length([], Len) -> Len;
string_length([C | T], Len) when is_integer(C), C >= 0, C =< 255, Len < 65535 ->
    string_length(T, Len + 1);
string_length(_, _) -> no.

enc_list(L, U, N) ->
    {Elements, Count, Tail} = enc_cells(L, U, N, [], 0),
    [<<108, Count:32>>, Elements, enc(Tail, U, N)].

enc_cells([H | T], U, N, Acc, Count) -> enc_cells(T, U, N, [enc(H, U, N) | Acc], Count + 1);
enc_cells(Tail, _, _, Acc, Count) -> {lists:reverse(Acc), Count, Tail}.

enc_big(I) ->
    Sign = if I < 0 -> 1; true -> 0 end,
    Mag = abs(I),
    Len = byte_length(Mag, 0),
    Digits = <<Mag:(8 * Len)/little>>,
    if Len =< 255 -> [110, Len, Sign, Digits];
       true -> [<<111, Len:32, Sign>>, Digits]
    end.

byte_length(0, Len) -> Len;
byte_length(M, Len) when M >= 16#100000000 -> byte_length(M bsr 32, Len + 4);
byte_length(M, Len) -> byte_length(M bsr 8, Len + 1).

%% Latin-1 atoms are ATOM_EXT unless minor_version 2 asks for UTF-8; the
%% others are always UTF-8, by their length in bytes.
enc_atom(A, Utf8) ->
    Chars = atom_to_list(A),
    case Utf8 orelse not latin1(Chars) of
        false ->
            [<<100, (length(Chars)):16>> | Chars];
        true ->
            Bytes = <<<<C/utf8>> || C <- Chars>>,
            case byte_size(Bytes) of
                Len when Len =< 255 -> [119, Len | Bytes];
                Len -> [<<118, Len:16>> | Bytes]
            end
    end.

latin1(Chars) -> lists:all(fun(C) -> C =< 255 end, Chars).

%% ---------------------------------------------------------------------------
%% Reading.  Every failure, wherever it happens, becomes badarg.

binary_to_term(B) ->
    case decode(B, false) of
        {T, _} -> T;
        error -> erlang:error(badarg, [B])
    end.

binary_to_term(B, Opts) ->
    case b2t_opts(Opts, false, false) of
        {Safe, Used} ->
            case decode(B, Safe) of
                {T, Size} when Used -> {T, Size};
                {T, _} -> T;
                error -> erlang:error(badarg, [B, Opts])
            end;
        error -> erlang:error(badarg, [B, Opts])
    end.

b2t_opts([], Safe, Used) -> {Safe, Used};
b2t_opts([safe | T], _, Used) -> b2t_opts(T, true, Used);
b2t_opts([used | T], Safe, _) -> b2t_opts(T, Safe, true);
b2t_opts(_, _, _) -> error.

%% decode(Binary, Safe) -> {Term, bytes used}.
decode(B, Safe) when is_binary(B) ->
    try
        <<?VERSION>> = binary_part(B, 0, 1),
        dec_top(binary_part(B, 1, 1), B, Safe)
    catch
        _:_ -> error
    end;
decode(_, _) ->
    error.

dec_top(<<80>>, B, Safe) ->
    <<Size:32>> = binary_part(B, 2, 4),
    {Plain, End} = inflate_zlib(B, 6, Size),      % (no more than it says)
    Size = byte_size(Plain),
    true = xbeam:etf_fits(Plain, 0),
    {T, Size} = dec(Plain, 0, Safe),
    {T, End};
dec_top(_, B, Safe) ->
    %% A quick scan first (runtime-asm/etf.asm): a term cut short fails
    %% there, not after most of it is built.
    true = fits(B),
    dec(B, 1, Safe).

fits(B) when byte_size(B) < ?SCAN_IN_STEPS -> xbeam:etf_fits(B, 1);
fits(B) -> trap({B, 1, 1}).

trap({B, Pos, Left}) ->
    case xbeam:etf_scan(B, Pos, Left, ?SCAN_STEP) of
        {Pos2, Left2} -> trap({B, Pos2, Left2});
        Fits -> Fits
    end.

%% The decoder walks the whole binary by position: tags and lengths are
%% read in place (xbeam:etf_uint/3), other fields from a small binary_part
%% of it.  (Matching the rest out at every step would make a part of it
%% each time: shared bytes past 64 of them, but a heap copy of a short
%% rest.)
%% dec(Bytes, Position, Safe) -> {Term, the position after it}.
dec(B, P, Safe) ->
    dec(xbeam:etf_uint(B, P, 1), B, P + 1, Safe).

dec(97, B, P, _) ->
    {xbeam:etf_uint(B, P, 1), P + 1};
dec(98, B, P, _) ->
    case xbeam:etf_uint(B, P, 4) of
        I when I < 16#80000000 -> {I, P + 4};
        I -> {I - 16#100000000, P + 4}
    end;
dec(110, B, P, _) ->
    <<N, Sign>> = binary_part(B, P, 2),
    {big(Sign, binary_part(B, P + 2, N)), P + 2 + N};
dec(111, B, P, _) ->
    <<N:32, Sign>> = binary_part(B, P, 5),
    {big(Sign, binary_part(B, P + 5, N)), P + 5 + N};
dec(70, B, P, _) ->
    <<F:64/float>> = binary_part(B, P, 8),
    {F, P + 8};
dec(99, B, P, _) ->
    Text = binary_to_list(binary_part(B, P, 31)),
    {list_to_float(lists:takewhile(fun(C) -> C =/= 0 end, Text)), P + 31};
dec(100, B, P, Safe) ->
    N = xbeam:etf_uint(B, P, 2),
    {atom(binary_to_list(binary_part(B, P + 2, N)), Safe), P + 2 + N};
dec(115, B, P, Safe) ->
    N = xbeam:etf_uint(B, P, 1),
    {atom(binary_to_list(binary_part(B, P + 1, N)), Safe), P + 1 + N};
dec(118, B, P, Safe) ->
    N = xbeam:etf_uint(B, P, 2),
    {atom(utf8(binary_part(B, P + 2, N)), Safe), P + 2 + N};
dec(119, B, P, Safe) ->
    N = xbeam:etf_uint(B, P, 1),
    {atom(utf8(binary_part(B, P + 1, N)), Safe), P + 1 + N};
dec(104, B, P, Safe) ->
    N = xbeam:etf_uint(B, P, 1),
    dec_tuple(N, B, P + 1, Safe);
dec(105, B, P, Safe) ->
    N = xbeam:etf_uint(B, P, 4),
    dec_tuple(N, B, P + 4, Safe);
dec(106, _, P, _) ->
    {[], P};
dec(107, B, P, _) ->
    N = xbeam:etf_uint(B, P, 2),
    {binary_to_list(binary_part(B, P + 2, N)), P + 2 + N};
dec(108, B, P, Safe) ->
    N = xbeam:etf_uint(B, P, 4),
    {Elements, P1} = dec_n(N, B, P + 4, Safe, []),
    {Tail, P2} = dec(B, P1, Safe),
    {Elements ++ Tail, P2};
dec(109, B, P, _) ->
    N = xbeam:etf_uint(B, P, 4),
    {binary_part(B, P + 4, N), P + 4 + N};
dec(77, B, P, _) ->
    <<N:32, Bits>> = binary_part(B, P, 5),
    Bytes = binary_part(B, P + 5, N),
    {bit_binary(N, Bits, Bytes), P + 5 + N};
dec(116, B, P, Safe) ->
    N = xbeam:etf_uint(B, P, 4),
    {Pairs, P1} = dec_pairs(N, B, P + 4, Safe, []),
    M = maps:from_list(Pairs),
    N = map_size(M),
    {M, P1};
dec(112, B, P, Safe) ->
    <<Size:32, Arity, Md5:16/binary, Index:32, NumFree:32>> = binary_part(B, P, 29),
    {Mod, P1} = dec_atom(B, P + 29, Safe),
    {OldIndex, P2} = dec(B, P1, Safe),
    {OldUniq, P3} = dec(B, P2, Safe),
    true = is_integer(OldIndex) andalso is_integer(OldUniq),
    {Creator, P4} = dec(B, P3, Safe),
    true = is_pid(Creator),
    {Env, P5} = dec_n(NumFree, B, P4, Safe, []),
    P5 = P + Size,
    {xbeam:make_local_fun(lambda(Mod, Index, Md5), Arity, Creator, Env), P5};
dec(113, B, P, Safe) ->
    {Mod, P1} = dec_atom(B, P, Safe),
    {Name, P2} = dec_atom(B, P1, Safe),
    {Arity, P3} = dec(B, P2, Safe),
    true = is_integer(Arity) andalso Arity >= 0 andalso Arity =< 255,
    true = (not Safe) orelse erlang:function_exported(Mod, Name, Arity),
    {erlang:make_fun(Mod, Name, Arity), P3};
dec(89, B, P, Safe) ->                          % NEW_PORT_EXT
    {Node, P1} = dec_atom(B, P, Safe),
    <<Id:32, Creation:32>> = binary_part(B, P1, 8),
    {port(Node, Id, Creation), P1 + 8};
dec(102, B, P, Safe) ->                         % PORT_EXT
    {Node, P1} = dec_atom(B, P, Safe),
    <<Id:32, Creation>> = binary_part(B, P1, 5),
    {port(Node, Id, Creation), P1 + 5};
dec(120, B, P, Safe) ->                         % V4_PORT_EXT
    {Node, P1} = dec_atom(B, P, Safe),
    <<Id:64, Creation:32>> = binary_part(B, P1, 12),
    {port(Node, Id, Creation), P1 + 12};
dec(88, B, P, Safe) ->
    {Node, P1} = dec_atom(B, P, Safe),
    <<Id:32, Serial:32, Creation:32>> = binary_part(B, P1, 12),
    {pid(Node, Id, Serial, Creation), P1 + 12};
dec(103, B, P, Safe) ->
    {Node, P1} = dec_atom(B, P, Safe),
    <<Id:32, Serial:32, Creation>> = binary_part(B, P1, 9),
    {pid(Node, Id, Serial, Creation), P1 + 9};
dec(90, B, P, Safe) ->
    <<N:16>> = binary_part(B, P, 2),
    {Node, P1} = dec_atom(B, P + 2, Safe),
    <<Creation:32>> = binary_part(B, P1, 4),
    Words = binary_part(B, P1 + 4, 4 * N),
    {ref(Node, Creation, [W || <<W:32>> <= Words]), P1 + 4 + 4 * N};
dec(114, B, P, Safe) ->
    <<N:16>> = binary_part(B, P, 2),
    {Node, P1} = dec_atom(B, P + 2, Safe),
    <<Creation>> = binary_part(B, P1, 1),
    Words = binary_part(B, P1 + 1, 4 * N),
    {ref(Node, Creation, [W || <<W:32>> <= Words]), P1 + 1 + 4 * N};
dec(101, B, P, Safe) ->
    {Node, P1} = dec_atom(B, P, Safe),
    <<W:32, Creation>> = binary_part(B, P1, 5),
    {ref(Node, Creation, [W]), P1 + 5}.

dec_atom(B, P, Safe) ->
    T = xbeam:etf_uint(B, P, 1),
    true = T =:= 100 orelse T =:= 115 orelse T =:= 118 orelse T =:= 119,
    dec(B, P, Safe).

%% BIT_BINARY_EXT: Bits (1..8) of the last byte are used; none at all
%% only in an empty one.
bit_binary(0, 0, _) ->
    <<>>;
bit_binary(N, Bits, Bytes) when N > 0, Bits >= 1, Bits =< 8 ->
    Size = 8 * (N - 1) + Bits,
    <<B:Size/bitstring, _/bitstring>> = Bytes,
    B.

%% The image-wide index of a module's lambda, by its FunT index and md5.
%% (A map of every lambda, made at the first decoded fun and kept as a
%% persistent term: looking through the image's thousands of lambdas for
%% every fun decoded made a list of funs slow to decode, and slower still
%% to refuse.)
lambda(Mod, Index, Md5) ->
    Lambdas = case persistent_term:get(?LAMBDAS_KEY, undefined) of
                  undefined ->
                      L = maps:from_list(
                            [{{M, I, Sum}, K}
                             || K <- lists:seq(0, xbeam:fun_count() - 1),
                                {M, _, <<_:64, I:32/little, Sum/binary>>} <- [xbeam:fun_entry(K)]]),
                      persistent_term:put(?LAMBDAS_KEY, L),
                      L;
                  L ->
                      L
              end,
    case Lambdas of
        #{{Mod, Index, Md5} := K} -> K;
        _ -> error(badarg)
    end.

dec_n(0, _, P, _, Acc) -> {lists:reverse(Acc), P};
dec_n(N, B, P, Safe, Acc) ->
    {T, P1} = dec(B, P, Safe),
    dec_n(N - 1, B, P1, Safe, [T | Acc]).

dec_tuple(N, B, P, Safe) ->
    {Elements, P1} = dec_n(N, B, P, Safe, []),
    {list_to_tuple(Elements), P1}.

dec_pairs(0, _, P, _, Acc) -> {Acc, P};
dec_pairs(N, B, P, Safe, Acc) ->
    {K, P1} = dec(B, P, Safe),
    {V, P2} = dec(B, P1, Safe),
    dec_pairs(N - 1, B, P2, Safe, [{K, V} | Acc]).

big(Sign, Digits) ->
    Size = 8 * byte_size(Digits),
    <<Mag:Size/little>> = Digits,
    if Sign =:= 0 -> Mag; true -> -Mag end.

atom(Chars, false) -> list_to_atom(Chars);
atom(Chars, true) -> list_to_existing_atom(Chars).

utf8(<<>>) -> [];
utf8(<<C/utf8, R/binary>>) -> [C | utf8(R)].

%% Only this node's pids and ports are representable (node nonode@nohost,
%% creation 0, numbers within BEAM's limits); references of other nodes too.
port(?NODE, Id, 0) when Id < 16#10000000 -> xbeam:ident_make(1, <<Id:32/little>>).

pid(?NODE, Id, Serial, 0) when Id < 16#8000, Serial < 16#2000 ->
    xbeam:etf_make_pid(Serial bsl 15 bor Id).

ref(?NODE, 0, [W0 | _] = Words) when length(Words) =< 3, W0 < 16#40000 ->
    [A, B, C | _] = Words ++ [0, 0],
    xbeam:etf_make_ref(A, B, C);
ref(Node, Creation, [W0 | _] = Words) when length(Words) =< 3, W0 < 16#40000 ->
    %% Another node's: its numbers (the missing ones 0, which compare and
    %% match as BEAM's shorter references do), its node and creation.
    [A, B, C | _] = Words ++ [0, 0],
    xbeam:etf_make_ext_ref(Node, Creation, A, B, C).

%% ---------------------------------------------------------------------------
%% Inflate (RFC 1950 zlib wrapper around RFC 1951 deflate).

%% Raw deflate data at position P of B.  -> {Output, the position after it}.
inflate_raw(B, P) -> inflate_blocks({B, P, 0, 0}, <<>>, infinity).

%% A zlib stream at position P of B: header, deflate data, Adler-32 of the
%% output.  -> {Output, the position after the stream}.
inflate_zlib(B, P) -> inflate_zlib(B, P, infinity).

%% The same, failing as soon as the output passes Limit bytes (a number,
%% or infinity).
inflate_zlib(B, P, Limit) ->
    <<CMF, FLG>> = binary_part(B, P, 2),
    true = CMF band 15 =:= 8 andalso (CMF * 256 + FLG) rem 31 =:= 0 andalso FLG band 32 =:= 0,
    {Out, End} = inflate_blocks({B, P + 2, 0, 0}, <<>>, Limit),
    <<Adler:32>> = binary_part(B, End, 4),
    Adler = erlang:adler32(Out),
    {Out, End + 4}.

%% Bits are read least significant bit of each byte first, from a state
%% {Bytes, position of the next byte, bits taken from the bytes before it
%% and not used yet, how many}: fewer than 8 between reads, so the stream
%% ends at the position.  The output is a binary that grows at its end.
inflate_blocks(S0, Out, Limit) ->
    {Final, S1} = bits(1, S0),
    {Type, S2} = bits(2, S1),
    {Out1, S3} = block(Type, S2, Out, Limit),
    case Final of
        1 -> {Out1, element(2, S3)};
        0 -> inflate_blocks(S3, Out1, Limit)
    end.

%% bits(N, State) -> {Value, State}: N bits, the first read the lowest.
bits(N, {D, P, Buf, Cnt}) when Cnt >= N ->
    {Buf band ((1 bsl N) - 1), {D, P, Buf bsr N, Cnt - N}};
bits(N, {D, P, Buf, Cnt}) ->
    bits(N, {D, P + 1, Buf bor (binary:at(D, P) bsl Cnt), Cnt + 8}).

block(0, {D, P, _, _}, Out, Limit) ->
    <<Len:16/little, NLen:16/little>> = binary_part(D, P, 4),
    Len = NLen bxor 16#ffff,
    Stored = binary_part(D, P + 4, Len),
    true = byte_size(Out) + Len =< Limit,
    {<<Out/binary, Stored/binary>>, {D, P + 4 + Len, 0, 0}};
block(1, S, Out, Limit) ->
    codes(S, fixed_lit(), fixed_dist(), Out, Limit);
block(2, S0, Out, Limit) ->
    {HLit, S1} = bits(5, S0),
    {HDist, S2} = bits(5, S1),
    {HClen, S3} = bits(4, S2),
    {ClenLens, S4} = read_n(HClen + 4, 3, S3, []),
    Order = [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15],
    Pairs = lists:zip(lists:sublist(Order, HClen + 4), ClenLens),
    ClenTable = huffman([proplists:get_value(I, Pairs, 0) || I <- lists:seq(0, 18)]),
    {Lens, S5} = code_lengths(HLit + 257 + HDist + 1, ClenTable, S4, [], 0),
    {LitLens, DistLens} = lists:split(HLit + 257, Lens),
    codes(S5, huffman(LitLens), huffman(DistLens), Out, Limit).

read_n(0, _, S, Acc) -> {lists:reverse(Acc), S};
read_n(K, N, S0, Acc) ->
    {V, S1} = bits(N, S0),
    read_n(K - 1, N, S1, [V | Acc]).

%% N lengths (K of them read so far, in Acc reversed).
code_lengths(N, _, S, Acc, N) -> {lists:reverse(Acc), S};
code_lengths(N, T, S0, Acc, K) when K < N ->
    {Sym, S1} = decode_sym(T, S0),
    if
        Sym < 16 -> code_lengths(N, T, S1, [Sym | Acc], K + 1);
        Sym =:= 16 ->
            [Prev | _] = Acc,
            {R, S2} = bits(2, S1),
            code_lengths(N, T, S2, lists:duplicate(R + 3, Prev) ++ Acc, K + R + 3);
        Sym =:= 17 ->
            {R, S2} = bits(3, S1),
            code_lengths(N, T, S2, lists:duplicate(R + 3, 0) ++ Acc, K + R + 3);
        Sym =:= 18 ->
            {R, S2} = bits(7, S1),
            code_lengths(N, T, S2, lists:duplicate(R + 11, 0) ++ Acc, K + R + 11)
    end.

%% A canonical Huffman code from its lengths, as a decoder walks it:
%% {how many codes have each length 1..15, the symbols in code order}.
%% Codes of one length are consecutive numbers, ordered by symbol, and
%% follow the codes one bit shorter (RFC 1951, 3.2.2).
huffman(Lens) ->
    Counts = lists:foldl(fun(0, C) -> C;
                            (L, C) -> setelement(L, C, element(L, C) + 1)
                         end, erlang:make_tuple(15, 0), Lens),
    Syms = [Sym || {_, Sym} <- lists:sort([{L, Sym} || {Sym, L} <- lists:zip(lists:seq(0, length(Lens) - 1), Lens), L > 0])],
    {Counts, list_to_tuple(Syms)}.

%% Huffman codes are read most significant bit first, a bit at a time:
%% after Len bits, Code is a code of that length when it is below
%% First + the number of such codes; Index counts the shorter codes.
decode_sym({Counts, Syms}, {D, P, Buf, Cnt}) ->
    decode_sym(Counts, Syms, D, P, Buf, Cnt, 1, 0, 0, 0).

decode_sym(Counts, Syms, D, P, Buf, Cnt, Len, Code, First, Index) when Cnt > 0, Len =< 15 ->
    Code1 = Code bor (Buf band 1),
    Count = element(Len, Counts),
    if
        Code1 - Count < First ->
            {element(Index + Code1 - First + 1, Syms), {D, P, Buf bsr 1, Cnt - 1}};
        true ->
            decode_sym(Counts, Syms, D, P, Buf bsr 1, Cnt - 1, Len + 1, Code1 bsl 1,
                       (First + Count) bsl 1, Index + Count)
    end;
decode_sym(Counts, Syms, D, P, _, 0, Len, Code, First, Index) when Len =< 15 ->
    decode_sym(Counts, Syms, D, P + 1, binary:at(D, P), 8, Len, Code, First, Index).

%% The fixed codes of block type 1, made once.
fixed_lit() -> fixed(lit).
fixed_dist() -> fixed(dist).

fixed(Which) ->
    Key = {?MODULE, fixed_huffman},
    {Lit, Dist} = case persistent_term:get(Key, undefined) of
                      undefined ->
                          T = {huffman(lists:duplicate(144, 8) ++ lists:duplicate(112, 9) ++
                                       lists:duplicate(24, 7) ++ lists:duplicate(8, 8)),
                               huffman(lists:duplicate(30, 5))},
                          persistent_term:put(Key, T),
                          T;
                      T -> T
                  end,
    case Which of lit -> Lit; dist -> Dist end.

codes(_, _, _, Out, Limit) when byte_size(Out) > Limit -> error(too_long);
codes(S0, Lit, Dist, Out, Limit) ->
    case decode_sym(Lit, S0) of
        {Sym, S1} when Sym < 256 -> codes(S1, Lit, Dist, <<Out/binary, Sym>>, Limit);
        {256, S1} -> {Out, S1};
        {Sym, S1} when Sym =< 285 ->
            {LBase, LExtra} = element(Sym - 256, length_codes()),
            {LE, S2} = bits(LExtra, S1),
            {DSym, S3} = decode_sym(Dist, S2),
            {DBase, DExtra} = element(DSym + 1, dist_codes()),
            {DE, S4} = bits(DExtra, S3),
            codes(S4, Lit, Dist, copy(LBase + LE, DBase + DE, Out), Limit)
    end.

%% Append Len bytes from Distance back; when Len > Distance the copy
%% overlaps itself and repeats the last Distance bytes.
copy(Len, Distance, Out) when Len =< Distance ->
    <<Out/binary, (binary_part(Out, byte_size(Out) - Distance, Len))/binary>>;
copy(Len, Distance, Out) ->
    Part = binary_part(Out, byte_size(Out) - Distance, Distance),
    copy(Len - Distance, Distance, <<Out/binary, Part/binary>>).

length_codes() ->
    {{3, 0}, {4, 0}, {5, 0}, {6, 0}, {7, 0}, {8, 0}, {9, 0}, {10, 0},
     {11, 1}, {13, 1}, {15, 1}, {17, 1}, {19, 2}, {23, 2}, {27, 2}, {31, 2},
     {35, 3}, {43, 3}, {51, 3}, {59, 3}, {67, 4}, {83, 4}, {99, 4}, {115, 4},
     {131, 5}, {163, 5}, {195, 5}, {227, 5}, {258, 0}}.

dist_codes() ->
    {{1, 0}, {2, 0}, {3, 0}, {4, 0}, {5, 1}, {7, 1}, {9, 2}, {13, 2},
     {17, 3}, {25, 3}, {33, 4}, {49, 4}, {65, 5}, {97, 5}, {129, 6}, {193, 6},
     {257, 7}, {385, 7}, {513, 8}, {769, 8}, {1025, 9}, {1537, 9},
     {2049, 10}, {3073, 10}, {4097, 11}, {6145, 11}, {8193, 12}, {12289, 12},
     {16385, 13}, {24577, 13}}.
