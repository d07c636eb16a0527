%% tests/programs/bit_syntax.erl — bit syntax: construction and matching of
%% integers (both endiannesses, signed, wider than a word), binaries and
%% bitstrings, floats of 16, 32 and 64 bits, UTF-8/16/32, strings, binary
%% comprehensions, construction errors, term order and display of bitstrings.
-module(bit_syntax).
-export([main/0]).
main() ->
    B = <<1, 2, 3, 16#ABCD:16, 300:16/little, -1:8/signed>>,
    erlang:display(B),
    <<A, Rest/binary>> = B,
    erlang:display({A, Rest}),
    <<X:12/little, Y:12, Z/bits>> = id(<<16#AB, 16#CD, 16#EF, 7:3>>),
    erlang:display({X, Y, Z}),
    <<Big:100/signed, Tail/bitstring>> = id(<<-12345678901234567890123:100, 1:1>>),
    erlang:display({Big, Tail}),
    erlang:display(<< <<C>> || <<C>> <= <<"hello">>, C =/= $l >>),
    erlang:display([C || <<C:4>> <= <<16#12, 16#34>>]),
    Str = <<"héllo"/utf8>>,
    erlang:display({Str, [U || <<U/utf8>> <= Str]}),
    erlang:display(<<1.5:64/float, 2.5:32/float-little, 1.0:16/float>>),
    <<F1:64/float, F2:32/float-little, F3:16/float>> = <<1.5:64/float, 2.5:32/float-little, 1.0:16/float>>,
    erlang:display(F1 == 1.5), erlang:display(F2 == 2.5), erlang:display(F3 == 1.0),
    erlang:display(<<"abc", (id(<<"def">>))/binary, 5:4>>),
    erlang:display(<<(1 bsl 70):72>>),
    erlang:display(<<(-(1 bsl 70)):72/little>>),
    erlang:display(try <<(id(foo)):8>> catch error:R1 -> R1 end),
    erlang:display(try <<(id(<<1:3>>))/binary>> catch error:R2 -> R2 end),
    erlang:display(try <<1:(id(-1))>> catch error:R3 -> R3 end),
    erlang:display(byte_size(<<1:9>>)), erlang:display(bit_size(<<1:9>>)),
    erlang:display(<<1:3>> < <<1:4>>), erlang:display(<<2:3>> > <<1:4>>),
    erlang:display(is_binary(<<1:3>>)), erlang:display(is_bitstring(<<1:3>>)),
    case id(<<"GET /path HTTP">>) of
        <<"GET ", P/binary>> -> erlang:display(P);
        _ -> erlang:display(nomatch)
    end,
    erlang:display(<<16#1234:16/native>>),
    erlang:display(<<"€"/utf16, "€"/utf32-little>>),
    [erlang:display(V) || <<V/utf16>> <= <<"a€"/utf16>>],
    %% A match context handed on after its tail was taken (bs_get_tail
    %% leaves the position where it is), and a bitstring matched by position.
    B2 = list_to_binary(lists:seq(0, 255) ++ lists:seq(0, 255)),
    <<A3:3, Rest3/bitstring>> = B2,
    erlang:display({A3, bit_size(Rest3)}),
    erlang:display(at5(Rest3, 5)),
    erlang:display([at(B2, P) || P <- [0, 1, 255, 256, 511]]),
    ok.
at(B, P) -> <<_:P/binary, X, _/binary>> = B, X.
at5(B, P) -> <<_:P/binary, X:5, _/bitstring>> = B, X.
id(X) -> X.
