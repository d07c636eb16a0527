%% runtime-erl/xbeam_maps.erl — BEAM's order of a map's pairs above 32 keys.
%%
%% xbeam keeps every map as one sorted array (docs/abi.md, "Maps"); BEAM
%% keeps up to 32 keys so (a flatmap, iterated in key order) and larger
%% maps as a hash trie (a HAMT), iterated in the trie's order.  That order
%% is a function of the set of keys alone: at depth D the trie branches on
%% bits 4D..4D+3 of the key's hash (erts' make_map_hash(Key, 0); from
%% depth 8 on, make_map_hash(Key, D div 8) shifted likewise), children in
%% ascending order, depth first.  So sorting the keys by their hashes'
%% nibbles, lowest nibble first, gives the trie's forward order, which
%% maps:next/1 (and io_lib, maps:fold/3, maps:map/2 ...) follows; the BIFs
%% that build lists (maps:to_list/1, keys/1, values/1) and term_to_binary
%% give it reversed, as erts conses them up.
%%
%% The hash is erts' make_internal_hash, as a 64-bit erl (the oracle)
%% computes it: immediates are hashed as their 64-bit words, so small
%% integers (up to 2^59) get erl's values, as do binaries, floats, bignums,
%% lists and tuples of them.  Atoms, pids, ports, references and funs hash
%% their xbeam words: BEAM hashes an atom by its index in the atom table,
%% which depends on what the node loaded before, so maps above 32 keys
%% that contain them have an order of xbeam's own.
-module(xbeam_maps).
-export([map_next/3, to_list/1, keys/1, values/1, sorted/1, map_hash/2, display/1]).

-define(FLAT_LIMIT, 32).
-define(M32, 16#ffffffff).
-define(W(X), ((X) band ?M32)).
-define(HC, 16#9e3779b9).
-define(HC(N), ((?HC * (N)) band ?M32)).
-define(INTERNAL_HASH_SALT, 3432918353).
%% A 64-bit BEAM's small integers.
-define(MIN_SMALL64, -(1 bsl 59)).
-define(MAX_SMALL64, (1 bsl 59) - 1).

%% erts_internal:map_next(Index, Map, iterator | List): maps:next/1's step.
%% Up to 32 keys, runtime-asm/maps.asm steps through the array (one pair a
%% call); above, the first call returns every pair, chained as BEAM's
%% calls chain the ones they return: {K1, V1, {K2, V2, ... none}}.
map_next(0, Map, iterator) when is_map(Map), map_size(Map) > ?FLAT_LIMIT ->
    chain(to_list(Map), none);
map_next(0, Map, Acc) when is_map(Map), map_size(Map) > ?FLAT_LIMIT, is_list(Acc) ->
    to_list(Map) ++ Acc;
map_next(I, Map, Acc) when is_map(Map), map_size(Map) =< ?FLAT_LIMIT, is_list(Acc) ->
    flat_pairs(xbeam:map_next_flat(I, Map, iterator), Acc);
map_next(I, Map, How) ->
    xbeam:map_next_flat(I, Map, How).

%% chain(Pairs in reverse, Next): the pairs chained in forward order.
chain([{K, V} | T], Next) -> chain(T, {K, V, Next});
chain([], Next) -> Next.

%% maps:to_list/1, keys/1 and values/1 (the callers check Map).
to_list(Map) when map_size(Map) > ?FLAT_LIMIT -> reversed(sorted(Map), 0, []);
to_list(Map) -> sorted(Map).

keys(Map) -> lists:reverse(lists:foldl(fun({K, _}, Acc) -> [K | Acc] end, [], to_list(Map))).

values(Map) -> lists:reverse(lists:foldl(fun({_, V}, Acc) -> [V | Acc] end, [], to_list(Map))).

%% erlang:display/1.  erts prints a map above 32 keys as the hash trie it
%% is: #<Bitmap>{Child,...}, the bitmap (in hex) the nibbles present at
%% that depth, each child a [Key|Value] cell or a node <Bitmap>{...} for
%% the keys that share the nibble, in ascending nibble order.  The printer
%% (runtime-asm/print.asm) takes each such map's trie, {Bitmap, Children},
%% from a list of {Map, Trie} made here.
display(Term) -> xbeam:display_tries(Term, tries(Term, [])).

tries(M, Acc) when is_map(M) ->
    Pairs = sorted(M),
    Acc1 = lists:foldl(fun({K, V}, A) -> tries(V, tries(K, A)) end, Acc, Pairs),
    case map_size(M) > ?FLAT_LIMIT of
        true -> [{M, trie(with_paths(Pairs, 0, []), 0)} | Acc1];
        false -> Acc1
    end;
tries([H | T], Acc) -> tries(T, tries(H, Acc));
tries(T, Acc) when is_tuple(T) -> lists:foldl(fun tries/2, Acc, tuple_to_list(T));
tries(_, Acc) -> Acc.

%% The node at depth D for pairs tagged with their keys' paths of hash
%% generation D div 8 ({Path, {K, V}}): they are grouped by the nibble of
%% the path at D (8 nibbles a generation, the first the most significant).
trie(Tagged, D) ->
    Shift = 28 - 4 * (D rem 8),
    Groups = groups(lists:keysort(1, [{(P bsr Shift) band 15, PKV} || {P, _} = PKV <- Tagged])),
    Bitmap = lists:foldl(fun({N, _}, B) -> B bor (1 bsl N) end, 0, Groups),
    {Bitmap, list_to_tuple([case Ps of
                                [{_, {K, V}}] -> [K | V];
                                _ -> trie(generation(Ps, D + 1), D + 1)
                            end || {_, Ps} <- Groups])}.

%% Every 8 levels the paths of the next hash generation.
generation(Tagged, D) when D rem 8 =:= 0 -> with_paths([KV || {_, KV} <- Tagged], D div 8, []);
generation(Tagged, _) -> Tagged.

groups([{N, KV} | T]) ->
    {Same, Rest} = lists:splitwith(fun({M, _}) -> M =:= N end, T),
    [{N, [KV | [P || {_, P} <- Same]]} | groups(Rest)];
groups([]) -> [].

%% The pairs in key order, as the map holds them: term_to_binary's
%% `deterministic`, and what needs the pairs in no particular order (no
%% hashing, no sorting).
sorted(Map) -> flat_pairs(xbeam:map_next_flat(0, Map, iterator), []).

%% The pairs an array iterator gives, in order, before Acc.
flat_pairs(It, Acc) -> lists:reverse(collect(It, []), Acc).

collect({K, V, [I | Map]}, Acc) -> collect(xbeam:map_next_flat(I, Map, iterator), [{K, V} | Acc]);
collect(none, Acc) -> Acc.

%% reversed(Pairs, G, Acc): the pairs in reverse trie order, before Acc,
%% sorted by their paths from hash generation G on (32 bits of path
%% each); keys whose whole generation-G hashes agree are ordered by the
%% next generation.
reversed(Pairs, G, Acc) ->
    runs(lists:keysort(1, with_paths(Pairs, G, [])), G, Acc).

%% Each pair tagged with its key's path (a loop, not a comprehension: no
%% stack as deep as the map is large for the collector to scan).
with_paths([{K, _} = KV | T], G, Acc) -> with_paths(T, G, [{path(K, G), KV} | Acc]);
with_paths([], _, Acc) -> Acc.

runs([{P, KV} | [{P, _} | _] = T], G, Acc) ->
    {Same, Rest} = same_path(P, T, [KV]),
    runs(Rest, G, reversed(Same, G + 1, Acc));
runs([{_, KV} | T], G, Acc) -> runs(T, G, [KV | Acc]);
runs([], _, Acc) -> Acc.

same_path(P, [{P, KV} | T], Acc) -> same_path(P, T, [KV | Acc]);
same_path(_, T, Acc) -> {Acc, T}.

%% Key's path through the trie: its generation-G hash's nibbles, the
%% lowest (the first branch) most significant.  Numbers, atoms, pids, []
%% and bitstrings are hashed in assembly (runtime-asm/maphash.asm), by
%% the definition below.
path(Key, G) ->
    case xbeam:map_key_path(Key, G) of
        false -> nibbles(map_hash(Key, G), 8, 0);
        Path -> Path
    end.

nibbles(_, 0, Acc) -> Acc;
nibbles(H, N, Acc) -> nibbles(H bsr 4, N - 1, (Acc bsl 4) bor (H band 15)).

%% make_map_hash(Key, G): erts' make_internal_hash salted by the generation.
map_hash(Key, 0) -> hash(Key, ?INTERNAL_HASH_SALT);
map_hash(Key, G) -> hash(Key, xbeam_hash:mix2(G, 1, ?HC(22), 0) bxor ?INTERNAL_HASH_SALT).

%% hash(Term, H): Term mixed into the hash so far.
hash(I, H) when is_integer(I), I >= ?MIN_SMALL64, I =< ?MAX_SMALL64 ->
    W = (I bsl 4) bor 16#f,                     % a 64-bit small's word
    immediate(W band ?M32, (W bsr 32) band ?M32, H);
hash(I, H) when is_integer(I) ->
    Con = case I < 0 of true -> ?HC(10); false -> ?HC(11) end,
    xbeam_hash:int_pairs(abs(I), Con, H);   % its 64-bit digits, the least significant first
hash([], H) -> immediate(16#3b, 0, H);
hash(A, H) when is_atom(A) -> immediate(xbeam:etf_word(A, 0), 0, H);
hash(P, H) when is_pid(P) -> immediate(xbeam:etf_word(P, 0), 0, H);
hash([_ | _] = L, H) -> list(L, 0, 0, H);
hash(T, H) when is_tuple(T) ->
    lists:foldl(fun hash/2, xbeam_hash:mix2(tuple_size(T), 0, ?HC(9), H), tuple_to_list(T));
hash(M, H) when is_map(M) ->
    H1 = xbeam_hash:mix2(map_size(M), 0, ?HC(16), H),
    %% A flatmap's pairs in key order, a trie's in reverse (erts pushes a
    %% node's children on its stack in order and pops them): to_list's.
    lists:foldl(fun({K, V}, Acc) -> hash(V, hash(K, Acc)) end, H1, to_list(M));
hash(F, H) when is_float(F) ->
    <<Lo:32/little, Hi:32/little>> = <<(xbeam_hash:positive_zero(F)):64/float-little>>,
    xbeam_hash:mix2(Lo, Hi, ?HC(12), H);
hash(B, H) when is_bitstring(B) -> xbeam_hash:bitstring_hash(B, H);
hash(R, H) when is_reference(R) ->
    H1 = xbeam_hash:mix2(xbeam:etf_word(R, 1), 0, ?HC(7), H),
    xbeam_hash:mix2(xbeam:etf_word(R, 2), xbeam:etf_word(R, 3), ?HC(8), H1);
hash(P, H) when is_port(P) ->
    <<Number:32/little>> = xbeam:ident_data(P),
    xbeam_hash:mix2(Number, 0, ?HC(6), H);
hash(F, H) when is_function(F) ->
    case xbeam:fun_parts(F) of
        {Index, _Arity, Env} when is_integer(Index) ->
            {Module, _Name, <<_:32, OldUniq:32/little, NewIndex:32/little, _/binary>>} =
                xbeam:fun_entry(Index),
            H1 = xbeam_hash:mix2(length(Env), xbeam:etf_word(Module, 0), ?HC(20), H),
            lists:foldl(fun hash/2, xbeam_hash:mix2(NewIndex, OldUniq, ?HC(21), H1), Env);
        {M, Fn, Arity} ->
            hash(Arity, hash(Fn, hash(M, xbeam_hash:mix2(0, 0, ?HC(14), H))))
    end.

immediate(Lo, Hi, H) -> xbeam_hash:mix2(Lo, Hi, ?HC, H).

%% A list: runs of bytes four to a word (a last partial word with its
%% count); a cell whose head is not a byte mixes a marker, then the head,
%% then the rest (a tail that is not a list after another marker).
list([B | T], C, Sh, H) when is_integer(B), B >= 0, B =< 255 ->
    Sh1 = ?W((Sh bsl 8) + B),
    {C1, Sh2, H1} = case C of
                        3 -> {0, 0, xbeam_hash:mix2(Sh1, 0, ?HC(4), H)};
                        _ -> {C + 1, Sh1, H}
                    end,
    case T of
        [_ | _] -> list(T, C1, Sh2, H1);
        _ -> hash(T, partial(C1, Sh2, H1))
    end;
list([X | T], C, Sh, H) ->
    H1 = const(?HC(17), partial(C, Sh, H)),
    case T of
        [_ | _] -> list(T, 0, 0, hash(X, H1));
        _ -> hash(T, const(?HC(18), hash(X, H1)))
    end.

partial(0, _, H) -> H;
partial(C, Sh, H) -> xbeam_hash:mix2(Sh, C, ?HC(22), H).

%% CONST_HASH: a constant mixed in lightly (xor, rotate left by 17).
const(C, H) ->
    X = H bxor C,
    ?W(X bsl 17) bor (X bsr 15).
