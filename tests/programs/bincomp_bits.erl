%% Binary comprehensions whose accumulator grows in place
%% (runtime-asm/bits.asm grow_in_place) with bitstring segments from
%% elsewhere (literals, other binaries): the accumulator, not the segment,
%% gets the new size.  And list_to_bitstring/1 of long lists with
%% bitstrings in them, which builds that way.
-module(bincomp_bits).
-export([main/0]).
p(B) when is_bitstring(B) -> B;
p(H) -> <<H>>.
main() ->
    Lits = [[3], [3, 4], [<<7:4>>], [3, <<7:4>>], [<<7:4>>, 3], [<<7:4>>, 3, 5, 6, 7, 8, 9],
            [<<1:1>>, <<"abc">>, <<2:2>>, 255, <<>>, <<5:3>>]],
    R1 = [<< <<(p(X))/bitstring>> || X <- L >> || L <- Lits],
    R2 = [<<7:4>>, <<"abc">>],                    % the literals are intact
    Long = lists:duplicate(100000, [<<1, 5:3>>]) ++ [lists:seq(0, 255), <<7:4>>],
    B = list_to_bitstring(Long),
    R3 = [bit_size(B), erlang:md5(<<B/bitstring, 0:((8 - bit_size(B) rem 8) rem 8)>>),
          list_to_bitstring(mixed())],
    R4 = [reason(fun() -> list_to_bitstring(X) end) || X <- [[1, <<1:1>>, 256], [a | <<1:1>>]]],
    io:format("~p~n~p~n~p~n~p~n", [R1, R2, R3, R4]).

reason(F) ->
    try F() catch error:R:S -> {R, element(1, hd(S)), element(2, hd(S))} end.

%% (Through the external format: erlc's type analysis decides that
%% list_to_bitstring/1 of such a list always fails, and drops what follows
%% the call, though BEAM takes the list.)
mixed() -> binary_to_term(term_to_binary([1, [2, <<3:3>> | <<1:1>>], [] | <<9:5>>])).
