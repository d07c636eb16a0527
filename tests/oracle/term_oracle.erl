%% Random terms for the external-format decoder and ~w writer tests.
%%
%% main(Seed, Count) prints Count lines "HEX TEXT", where HEX is
%% term_to_binary(T, Opts) in hex for a random term T and random encoder
%% options, and TEXT is what io:format("~w", [T]) prints.
-module(term_oracle).
-export([main/2]).

main(Seed, Count) ->
    rand:seed(exsss, Seed),
    [line(term(3)) || _ <- lists:seq(1, Count)],
    ok.

line(T) ->
    Opts = pick([[], [compressed], [{minor_version, 0}], [{minor_version, 1}], [{minor_version, 2}],
                 [{compressed, 9}, {minor_version, 0}]]),
    Hex = binary:encode_hex(term_to_binary(T, Opts)),
    io:format("~s ~w~n", [Hex, T]).

pick(L) -> lists:nth(rand:uniform(length(L)), L).

term(0) -> leaf();
term(D) ->
    case rand:uniform(10) of
        N when N =< 4 -> leaf();
        5 -> list_to_tuple(some(fun() -> term(D - 1) end, 5));
        6 -> some(fun() -> term(D - 1) end, 5);
        7 -> some(fun() -> term(D - 1) end, 3) ++ leaf_tail();
        8 -> maps:from_list(some(fun() -> {term(D - 1), term(D - 1)} end, 6));
        9 -> some(fun() -> rand:uniform(300) - 1 end, 12);
        10 -> bits()
    end.

leaf_tail() ->
    %% An improper tail, or [] for a proper list.
    pick([[], a, 1, <<>>, {x}]).

some(F, Max) -> [F() || _ <- lists:seq(1, rand:uniform(Max + 1) - 1)].

leaf() ->
    case rand:uniform(12) of
        1 -> rand:uniform(1 bsl 28) - (1 bsl 27);
        2 -> (rand:uniform(1 bsl rand:uniform(400)) - 1) * pick([1, -1]);
        3 -> pick([0, -1, 255, 256, -134217728, 134217727, 1 bsl 31, -(1 bsl 31), 1 bsl 64, -(1 bsl 64)]);
        4 -> float_bits();
        5 -> pick([0.0, -0.0, 1.0, 0.1, 100.0, 1000.0, 1024.0, 0.0001, 0.00012, 1.0e15, 1.0e16, 123456789.0,
                   1.0e-10, 5.0e-324, 1.7976931348623157e308, 9007199254740993.0, 2.5, -3.75e-7]);
        6 -> random_atom();
        7 -> pick(['', 'after', 'maybe', 'else', 'cond', 'catch', 'A', '_x', 'a@b', 'aB9_@', 'hello world',
                   'quote\'s', 'back\\slash', 'new\nline', [], {}, #{}, true, false, undefined]);
        8 -> list_to_atom([pick([$a, $z, $A, 16#DF, 16#FF, 16#F7, $_, $0])
                           | some(fun() -> pick([$a, $B, $9, $_, $@, 16#C0, 16#D7, 16#DE, 16#F7, $-]) end, 6)]);
        9 -> rand:bytes(rand:uniform(20) - 1);
        10 -> bits();
        11 -> pick([fun lists:map/2, fun erlang:'+'/2, fun 'Mod X':'f y'/3, fun m:f/0]);
        12 -> [rand:uniform(16#10FFFF) || _ <- lists:seq(1, 3)]
    end.

float_bits() ->
    <<F:64/float>> = ok_float(rand:bytes(8)),
    F.

ok_float(<<_:1, 2047:11, _:52>>) -> ok_float(rand:bytes(8));
ok_float(B) -> B.

bits() ->
    N = rand:uniform(40) - 1,
    <<X:N/bitstring, _/bitstring>> = rand:bytes(6),
    X.

random_atom() ->
    Cs = some(fun() -> char() end, 12),
    list_to_atom(Cs).

char() ->
    case rand:uniform(4) of
        1 -> rand:uniform(255);
        2 -> $a + rand:uniform(26) - 1;
        3 -> pick([$', $\\, $", 0, 7, 8, 9, 10, 11, 12, 13, 27, 31, 127, 128, 159, 160, 255]);
        4 -> pick([256, 16#3B1, 16#2603, 16#1F600, 16#10FFFF])
    end.
