%% The test oracle for `xbeam disasm --format erlang`.
%%
%% In:  an output directory and a file that lists .beam paths, one a line.
%% Out: for the N-th path (from 0):
%%        OutDir/N.w  exactly what io:format("~w.~n", [F]) prints for each F
%%                    in the code list of beam_disasm:file/1 ("error" and a
%%                    newline if beam_disasm fails);
%%        OutDir/N.c  the same text, except that maps of more than 32 keys
%%                    in which some key contains an atom have their keys in
%%                    sorted order (written only when that differs from N.w).
%% Why N.c: such maps are hash tries inside the VM, and the internal hash of
%% an atom is derived from its index in the atom table, so the order ~w
%% shows depends on which atoms the VM happened to create before; it is not
%% a property of the file.  The canonical form makes that order stable.
%% Run as: erl -noshell -pa EBIN -eval 'disasm_oracle:main(["OUT", "LIST"]), halt().'
-module(disasm_oracle).
-export([main/1]).

main([OutDir, ListFile]) ->
    {ok, Bin} = file:read_file(ListFile),
    Files = string:lexemes(binary_to_list(Bin), "\n"),
    lists:foldl(fun(File, N) -> one(OutDir, N, File), N + 1 end, 0, Files),
    ok.

one(OutDir, N, File) ->
    Base = filename:join(OutDir, integer_to_list(N)),
    case code_list(File) of
        error ->
            ok = file:write_file(Base ++ ".w", "error\n");
        Code ->
            W = iolist_to_binary([io_lib:format("~w.~n", [F]) || F <- Code]),
            ok = file:write_file(Base ++ ".w", W),
            case has_large_map(Code) of
                false ->
                    ok;
                true ->
                    %% The writer below must agree with ~w when it keeps VM order.
                    W = iolist_to_binary([[w(F, vm), ".\n"] || F <- Code]),
                    case iolist_to_binary([[w(F, canonical), ".\n"] || F <- Code]) of
                        W -> ok;
                        C -> ok = file:write_file(Base ++ ".c", C)
                    end
            end
    end.

code_list(File) ->
    try beam_disasm:file(File) of
        {beam_file, _Mod, _Exp, _Attr, _CInf, Code} -> Code;
        {error, _, _} -> error
    catch _:_ -> error
    end.

%% ~w's text for a term; Order says how to order the keys of large maps.
w([_ | _] = L, Order) -> [$[, w_list(L, Order), $]];
w(T, Order) when is_tuple(T), tuple_size(T) > 0 ->
    [${, lists:join($,, [w(E, Order) || E <- tuple_to_list(T)]), $}];
w(M, Order) when is_map(M), map_size(M) > 0 ->
    ["#{", lists:join($,, [[w(K, Order), " => ", w(V, Order)] || {K, V} <- entries(M, Order)]), $}];
w(T, _) ->
    io_lib:write(T).

w_list([H | T], Order) when is_list(T), T =/= [] -> [w(H, Order), $, | w_list(T, Order)];
w_list([H], Order) -> w(H, Order);
w_list([H | T], Order) -> [w(H, Order), $|, w(T, Order)].

entries(M, canonical) when map_size(M) > 32 ->
    case lists:any(fun has_atom/1, maps:keys(M)) of
        true -> lists:keysort(1, maps:to_list(M));
        false -> entries(M, vm)
    end;
entries(M, _) ->
    iterate(maps:next(maps:iterator(M))).

iterate(none) -> [];
iterate({K, V, I}) -> [{K, V} | iterate(maps:next(I))].

has_large_map(M) when is_map(M) -> map_size(M) > 32 orelse has_large_map(maps:to_list(M));
has_large_map(T) when is_tuple(T) -> has_large_map(tuple_to_list(T));
has_large_map([H | T]) -> has_large_map(H) orelse has_large_map(T);
has_large_map(_) -> false.

has_atom(A) when is_atom(A) -> true;
has_atom(T) when is_tuple(T) -> has_atom(tuple_to_list(T));
has_atom([H | T]) -> has_atom(H) orelse has_atom(T);
has_atom(M) when is_map(M) -> has_atom(maps:to_list(M));
has_atom(_) -> false.
