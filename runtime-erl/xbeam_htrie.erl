%% runtime-erl/xbeam_htrie.erl — a persistent hash trie, for the objects of
%% ets tables of type set, bag and duplicate_bag (runtime-erl/xbeam_ets.erl).
%%
%% A table's process replaces its data with every write, so the structure
%% must be persistent; a map would do, but xbeam's maps are one sorted
%% array (docs/abi.md, "Maps"), which every new key copies whole.  Here a
%% write copies one 16-slot node a level: a 27-bit hash of the key picks
%% the slots, 4 bits a level from the lowest (7 levels), and keys whose
%% hashes are equal share a bucket.  Keys match with =:=, as ets's hash
%% tables match them.  The order of fold/3, first/1 and next/2 is the
%% trie's: a function of the keys alone.
%%
%% A slot holds [] (empty), {Hash, Bucket} (Bucket a list of {Key, Value},
%% never empty) or a node (a 16-tuple).  Removing a key leaves the nodes
%% above it in place, empty or not.
-module(xbeam_htrie).
-export([new/0, get/3, put/3, remove/2, fold/3, first/1, next/2]).

-define(MASK, 16#7FFFFFF).

new() -> erlang:make_tuple(16, []).

%% The key's hash: runtime-asm/maphash.asm's for the kinds it hashes
%% (numbers, atoms, binaries, pids: fast), else one made of the parts' here
%% (tuples, lists), else erlang:phash2/1.  Keys equal by =:= hash equal.
hash(K) ->
    case xbeam:map_key_path(K, 0) of
        false -> compound(K);
        P -> P band ?MASK
    end.

compound(T) when is_tuple(T) -> elements(T, tuple_size(T), tuple_size(T) + 16#3b1);
compound(L) when is_list(L) -> cells(L, 16#5c3);
compound(X) -> erlang:phash2(X).

elements(_, 0, A) -> A;
elements(T, I, A) -> elements(T, I - 1, mix(A, hash(element(I, T)))).

cells([H | T], A) -> cells(T, mix(A, hash(H)));
cells([], A) -> A;
cells(Tail, A) -> mix(A, hash(Tail)).

mix(A, H) -> ((A * 16#2f0b) bxor H) band ?MASK.

slot(H, D) -> ((H bsr (4 * D)) band 15) + 1.

%% get(Key, Trie, Default) -> the key's value, or Default.
get(K, T, Default) -> get(hash(K), K, T, 0, Default).

get(H, K, Node, D, Default) ->
    case element(slot(H, D), Node) of
        [] -> Default;
        {H, B} -> bucket_get(K, B, Default);
        {_, _} -> Default;
        Sub -> get(H, K, Sub, D + 1, Default)
    end.

bucket_get(K, [{K2, V} | _], _) when K2 =:= K -> V;
bucket_get(K, [_ | T], Default) -> bucket_get(K, T, Default);
bucket_get(_, [], Default) -> Default.

%% put(Key, Value, Trie) -> the trie with Key's value Value.
put(K, V, T) ->
    H = hash(K),
    put(H, K, V, T, 0).

put(H, K, V, Node, D) ->
    I = slot(H, D),
    New = case element(I, Node) of
              [] -> {H, [{K, V}]};
              {H, B} -> {H, bucket_put(K, V, B)};
              {H2, _} = Leaf -> split(Leaf, H2, {H, [{K, V}]}, H, D + 1);
              Sub -> put(H, K, V, Sub, D + 1)
          end,
    setelement(I, Node, New).

%% Two leaves of different hashes that met in one slot: the nodes below
%% it down to where the hashes part.
split(L1, H1, L2, H2, D) ->
    I1 = slot(H1, D),
    I2 = slot(H2, D),
    N = new(),
    case I1 =:= I2 of
        true -> setelement(I1, N, split(L1, H1, L2, H2, D + 1));
        false -> setelement(I2, setelement(I1, N, L1), L2)
    end.

bucket_put(K, V, [{K2, _} | T]) when K2 =:= K -> [{K2, V} | T];
bucket_put(K, V, [P | T]) -> [P | bucket_put(K, V, T)];
bucket_put(K, V, []) -> [{K, V}].

%% remove(Key, Trie) -> the trie without Key.
remove(K, T) -> remove(hash(K), K, T, 0).

remove(H, K, Node, D) ->
    I = slot(H, D),
    case element(I, Node) of
        [] -> Node;
        {H, B} ->
            case [P || {K2, _} = P <- B, K2 =/= K] of
                [] -> setelement(I, Node, []);
                B1 -> setelement(I, Node, {H, B1})
            end;
        {_, _} -> Node;
        Sub -> setelement(I, Node, remove(H, K, Sub, D + 1))
    end.

%% fold(Fun(Key, Value, Acc), Acc, Trie), in the trie's order.
fold(F, Acc, Node) -> fold_slots(F, Acc, Node, 1).

fold_slots(_, Acc, _, 17) -> Acc;
fold_slots(F, Acc, Node, I) ->
    Acc1 = case element(I, Node) of
               [] -> Acc;
               {_, B} -> lists:foldl(fun({K, V}, A) -> F(K, V, A) end, Acc, B);
               Sub -> fold_slots(F, Acc, Sub, 1)
           end,
    fold_slots(F, Acc1, Node, I + 1).

%% first(Trie) -> {Key, Value} | none.
first(Node) -> first_from(Node, 1).

first_from(_, 17) -> none;
first_from(Node, I) ->
    case first_in(element(I, Node)) of
        none -> first_from(Node, I + 1);
        P -> P
    end.

first_in([]) -> none;
first_in({_, [P | _]}) -> P;
first_in(Node) -> first_from(Node, 1).

%% next(Key, Trie) -> the {Key, Value} after Key | none | nokey (Key is
%% not in the trie).
next(K, T) -> next(hash(K), K, T, 0).

next(H, K, Node, D) ->
    I = slot(H, D),
    R = case element(I, Node) of
            {H, B} -> bucket_after(K, B);
            [] -> nokey;
            {_, _} -> nokey;
            Sub -> next(H, K, Sub, D + 1)
        end,
    case R of
        none -> first_from(Node, I + 1);
        _ -> R
    end.

bucket_after(K, [{K2, _} | T]) when K2 =:= K ->
    case T of
        [P | _] -> P;
        [] -> none
    end;
bucket_after(K, [_ | T]) -> bucket_after(K, T);
bucket_after(_, []) -> nokey.
