%% References of other nodes, read from the external term format: kept with
%% their node and creation (docs/abi.md), ordered as BEAM orders them (node
%% name, creation, then the numbers from the most significant, unsigned),
%% node/1, phash2, written back, map keys and an ordered_set (ref_SUITE's
%% compare_list and compare_ets), and a send to one.
-module(external_refs).
-export([main/0]).
main() ->
    E1 = <<131,114,0,3,100,0,3,110,64,98,3, 0,0,173,156, 0,216,0,4, 0,0,0,0>>,
    E2 = <<131,114,0,3,100,0,3,110,64,98,3, 0,1,31,27,   129,4,0,1, 0,0,0,0>>,
    R1 = binary_to_term(E1), R2 = binary_to_term(E2),
    L = make_ref(),
    Base = <<131,114,0,3,100,0,3,110,64,98,3>>,
    Refs = [binary_to_term(<<Base/binary, 1:32, W2:32, 0:32>>) || W2 <- [610350147,899574699,2994196869,686384822,2397690439, 923302211]],
    Other = binary_to_term(<<131,90,0,3,100,0,5,122,64,122,122,122,0,0,0,7, 0,0,0,1, 0,0,0,2, 0,0,0,3>>),
    io:format("~p~n", [[lists:sort([R2, R1]) =:= [R1, R2], node(R1), is_reference(R1), R1 < L, L < Other,
                        R1 =:= binary_to_term(E1), R1 == R2, erlang:phash2(R1), erlang:phash2(Other),
                        binary_to_term(term_to_binary(Other)) =:= Other, term_to_binary(R1),
                        [lists:sort(Refs) =:= lists:usort(Refs)], [node(X) || X <- [Other]],
                        maps:size(maps:from_list([{X, 1} || X <- Refs ++ [R1, R2, Other]]))]]),
    Ets = ets:new(refbug, [ordered_set]),
    ets:insert(Ets, [{Ref, Ref} || Ref <- Refs]),
    io:format("~p~n", [length([R || R <- ets:tab2list(Ets), ets:lookup(Ets, element(1, R)) == []])]),
    %% A send to another node's alias: nowhere to go (no connection), the message returned.
    io:format("~p~n", [R1 ! hello]).
