-module(etf).
-export([main/0]).

%% An exception as {Class, Reason}: stack traces differ.
-define(T(E), t(fun() -> E end)).

%% The external term format: term_to_binary/1,2 byte for byte as erl writes
%% it, binary_to_term/1,2 (options, compressed input, malformed input),
%% external_size/1,2; and md5/1, md5_init/update/final.
main() ->
    kinds(),
    options(),
    local_terms(),
    decoding(),
    malformed(),
    md5(),
    ok.

show(T) ->
    B = term_to_binary(T),
    io:format("~w ~w ~w~n", [B, binary_to_term(B) =:= T, erlang:external_size(T) =:= byte_size(B)]).

kinds() ->
    Ints = [0, 1, 255, 256, -1, -256, 134217727, 134217728, -134217728, -134217729,
            2147483647, 2147483648, -2147483648, -2147483649, 1 bsl 64, -(1 bsl 64) + 1,
            (1 bsl 2039) - 1, 1 bsl 2040, -(1 bsl 3000)],
    [show(I) || I <- Ints],
    Floats = [0.0, -0.0, 1.5, -2.25, 1.0e300, 2.2250738585072014e-308, 5.0e-324, 0.1, 123456789.0],
    [show(F) || F <- Floats],
    Atoms = [a, abc, 'hello world', '', 'caf\x{e9}', list_to_atom([16#101, 16#102]),
             list_to_atom(lists:duplicate(200, 16#e9)), list_to_atom(lists:duplicate(100, 16#101)),
             list_to_atom(lists:duplicate(200, 16#101)), list_to_atom([16#1f600])],
    [show(A) || A <- Atoms],
    Lists = [[], "abc", [0, 255], [256], [-1], [1 | 2], [a, b], [[1, 2], "x" | y], [1.5, "s"],
             lists:duplicate(300, 7)],
    [show(L) || L <- Lists],
    [io:format("~w ~w~n", [byte_size(term_to_binary(lists:duplicate(N, $x))),
                           binary_part(term_to_binary(lists:duplicate(N, $x)), 0, 6)])
     || N <- [65534, 65535, 65536]],
    Tuples = [{}, {a}, {1, 2, 3}, {{}, {[]}, {"x"}}, list_to_tuple(lists:seq(1, 256))],
    [show(T) || T <- Tuples],
    Bins = [<<>>, <<1, 2, 3>>, <<1:1>>, <<255, 3:2>>, <<1, 2, 3:7>>, list_to_binary(lists:seq(0, 255)),
            {<<7:3>>, [<<>>]}],
    [show(B) || B <- Bins],
    Maps = [#{}, #{a => 1}, #{b => 1, a => 2}, #{1 => a, 1.0 => b, "s" => c, {t} => d, [] => e, <<>> => f},
            #{k => #{nested => [1, 2]}, 2 => 3}, maps:from_list([{N, N * N} || N <- lists:seq(1, 32)])],
    [show(M) || M <- Maps],
    Funs = [fun lists:map/2, fun erlang:abs/1, fun etf:main/0],
    [show(F) || F <- Funs],
    show({a, [1.5, #{x => <<"y">>}, fun lists:sort/1 | "tail"], -99999999999999}).

options() ->
    Ts = [1.5, -1.0e-100, abc, 'caf\x{e9}', list_to_atom([16#101]), {x, [y, 3.25]}, #{k => 0.5},
          fun lists:map/2],
    [io:format("~w~n~w~n~w~n", [term_to_binary(T, [{minor_version, 0}]),
                                term_to_binary(T, [{minor_version, 1}]),
                                term_to_binary(T, [{minor_version, 2}])]) || T <- Ts],
    [io:format("~w ~w~n", [erlang:external_size(T, [{minor_version, 0}]),
                           erlang:external_size(T, [{minor_version, 1}])]) || T <- Ts],
    io:format("~w~n", [term_to_binary(#{z => 1, a => 2, 5 => 3}, [deterministic])]),
    io:format("~w~n", [term_to_binary([1.5, a], [deterministic, {minor_version, 0}, {minor_version, 2}])]),
    %% Too small to gain from compression: erl writes them uncompressed too.
    [io:format("~w~n", [term_to_binary(T, Opts)])
     || T <- [42, {a, 1}, "hi", <<1, 2>>],
        Opts <- [[compressed], [{compressed, 0}], [{compressed, 9}], [{compressed, 3}, deterministic]]],
    Bad = [[bad], [{minor_version, 3}], [{minor_version, -1}], [{compressed, 10}], [{compressed, -1}],
           [{compressed, a}], improper, [compressed | x], [{minor_version, 1, 2}]],
    [io:format("~w~n", [?T(term_to_binary(x, O))]) || O <- Bad],
    [io:format("~w~n", [?T(erlang:external_size(x, O))])
     || O <- [[{minor_version, 2}], [compressed], [bad], x]].

%% Pids and references differ in their numbers between erl and xbeam: only
%% their form is compared, and their round trip.
local_terms() ->
    P = self(),
    R = make_ref(),
    BP = term_to_binary(P),
    BR = term_to_binary(R),
    io:format("~w ~w ~w~n", [binary_part(BP, 0, 18), binary_part(BP, 22, 8), byte_size(BP)]),
    io:format("~w ~w~n", [binary_part(BR, 0, 24), byte_size(BR)]),
    io:format("~w ~w~n", [binary_to_term(BP) =:= P, binary_to_term(BR) =:= R]),
    T = {P, [R, P], #{R => P}},
    io:format("~w~n", [binary_to_term(term_to_binary(T)) =:= T]),
    Q = spawn(fun() -> receive {From, B} -> From ! {self(), binary_to_term(B)} end end),
    Q ! {self(), term_to_binary({hello, self(), R})},
    receive {Q, {hello, Me, R2}} -> io:format("~w ~w~n", [Me =:= self(), R2 =:= R]) end.

decoding() ->
    Encoded = [<<131, 100, 0, 3, "abc">>, <<131, 115, 3, "abc">>, <<131, 118, 0, 2, 196, 129>>,
               <<131, 119, 2, 196, 129>>, <<131, 100, 0, 1, 233>>, <<131, 115, 0>>,
               <<131, 110, 0, 0>>, <<131, 110, 2, 1, 0, 0>>, <<131, 110, 1, 0, 5>>, <<131, 110, 5, 1, 1, 0, 0, 0, 0>>,
               <<131, 111, 0, 0, 0, 1, 0, 200>>, <<131, 98, 0, 0, 0, 7>>,
               <<131, 99, "1.50000000000000000000e+00", 0, 0, 0, 0, 0>>,
               <<131, 99, "2.5", 0:28/unit:8>>, <<131, 99, "-1.0e-2", 0, "junk", 0:19/unit:8>>,
               <<131, 77, 0, 0, 0, 0, 0>>, <<131, 77, 0, 0, 0, 1, 8, 255>>, <<131, 77, 0, 0, 0, 2, 3, 1, 255>>,
               <<131, 108, 0, 0, 0, 0, 106>>, <<131, 108, 0, 0, 0, 1, 97, 1, 97, 2>>,
               <<131, 105, 0, 0, 0, 2, 97, 1, 97, 2>>, <<131, 116, 0, 0, 0, 0>>,
               <<131, 113, 100, 0, 5, "lists", 100, 0, 3, "map", 97, 2>>,
               <<131, 113, 115, 5, "lists", 119, 3, "map", 98, 0, 0, 0, 2>>,
               <<131, 97, 1, 99, 99>>],
    [io:format("~w~n", [?T(binary_to_term(B))]) || B <- Encoded],
    [io:format("~w~n", [?T(binary_to_term(B, [used]))]) || B <- Encoded],
    Compressed = [
    <<131,80,0,0,1,99,120,156,203,96,201,102,56,193,200,196,204,194,202,198,206,193,201,197,205,195,203,199,47,32,40,36,44,34,42,38,46,33,41,37,45,35,43,39,175,160,168,164,172,162,170,166,174,161,169,165,173,163,171,167,111,96,104,100,108,98,106,102,110,97,105,101,109,99,107,103,239,224,232,228,236,226,234,230,238,225,233,229,237,227,235,231,31,16,24,20,28,18,26,22,30,17,25,21,29,19,27,23,159,144,152,148,156,146,154,150,158,145,153,149,157,147,155,151,95,80,88,84,92,82,90,86,94,81,89,85,93,83,91,87,223,208,216,212,220,210,218,214,222,209,217,213,221,211,219,215,63,97,226,164,201,83,166,78,155,62,99,230,172,217,115,230,206,155,191,96,225,162,197,75,150,46,91,190,98,229,170,213,107,214,174,91,191,97,227,166,205,91,182,110,219,190,99,231,174,221,123,246,238,219,127,224,224,161,195,71,142,30,59,126,34,151,129,129,33,133,129,14,32,155,129,7,232,39,56,202,1,10,177,164,48,48,167,229,231,3,201,164,196,34,100,118,22,0,129,15,93,108>>,
    <<131,80,0,0,2,25,120,1,21,204,55,86,195,0,0,5,65,89,228,156,115,206,25,100,201,146,109,240,101,232,120,152,251,215,252,169,118,170,253,43,138,98,242,83,126,247,166,69,175,159,150,105,157,206,164,77,58,155,14,210,185,180,77,231,211,46,93,72,135,233,98,58,74,151,210,113,186,60,45,202,126,21,172,128,227,42,88,174,129,231,58,152,110,128,235,38,216,110,129,239,54,24,239,128,243,110,80,59,239,129,243,62,56,31,128,243,33,56,31,129,243,49,56,159,128,243,41,56,159,129,243,121,208,56,95,128,243,37,56,95,129,243,53,56,223,128,243,45,56,223,129,243,61,56,63,128,243,99,48,112,126,2,231,103,112,126,1,231,87,112,126,3,231,119,112,254,0,231,10,156,251,224,92,7,173,115,3,206,3,112,110,193,185,3,231,33,56,143,192,121,12,206,159,224,252,5,206,147,160,171,126,255,1,21,75,103,202>>,
    <<131,80,0,0,4,182,120,218,203,97,96,96,208,40,1,18,76,41,12,140,137,110,246,63,24,192,0,200,73,202,5,210,204,21,149,85,163,178,163,178,163,178,163,178,131,71,54,11,0,3,247,215,55>>
    ],
    [io:format("~w~n", [binary_to_term(C)]) || C <- Compressed],
    [io:format("~w~n", [binary_to_term(C, [used])]) || C <- Compressed],
    io:format("~w~n", [binary_to_term(<<(hd(Compressed))/binary, 1, 2, 3>>, [used, safe])]),
    New = <<131, 100, 0, 22, "etf_no_such_atom_74656">>,
    io:format("~w~n", [?T(binary_to_term(New, [safe]))]),
    io:format("~w~n", [?T(binary_to_term(<<131, 119, 3, "abc">>, [safe]))]),
    io:format("~w~n", [?T(binary_to_term(<<131, 113, 100, 0, 5, "lists", 100, 0, 3, "map", 97, 3>>, [safe]))]),
    io:format("~w~n", [?T(binary_to_term(<<131, 113, 100, 0, 5, "lists", 100, 0, 3, "map", 97, 2>>, [safe]))]),
    io:format("~w~n", [?T(binary_to_term(New, [bad]))]),
    io:format("~w~n", [?T(binary_to_term(New, x))]),
    io:format("~w~n", [?T(binary_to_term(New, [safe | x]))]),
    io:format("~w~n", [binary_to_term(New)]).

malformed() ->
    Bad = [<<>>, <<131>>, <<130, 97, 1>>, <<131, 200>>, <<1, 2:3>>, not_binary, "list",
           <<131, 97>>, <<131, 98, 0, 0, 0>>, <<131, 104, 2, 97, 1>>, <<131, 107, 0, 5, "abc">>,
           <<131, 77, 0, 0, 0, 1, 0, 255>>, <<131, 77, 0, 0, 0, 1, 9, 255>>, <<131, 77, 0, 0, 0, 0, 3>>,
           <<131, 116, 0, 0, 0, 2, 97, 1, 97, 2, 97, 1, 97, 3>>,
           <<131, 100, 1, 0, 0>>, <<131, 118, 0, 2, 255, 255>>, <<131, 119, 1, 196>>,
           <<131, 99, "1", 0:30/unit:8>>, <<131, 99, "1.5 x", 0:26/unit:8>>, <<131, 70, 127, 240, 0:48>>,
           <<131, 70, 255, 248, 0:48>>, <<131, 113, 97, 1, 100, 0, 1, "f", 97, 0>>,
           <<131, 113, 100, 0, 1, "m", 100, 0, 1, "f", 106>>,
           <<131, 80, 0, 0, 0, 5, 1, 2, 3>>, <<131, 80, 0, 0, 0, 9, 120, 156, 203, 96, 1, 0>>,
           <<131, 112, 0, 0, 0, 0>>, <<131, 117, 0, 0, 0, 0>>,
           <<131, 82, 0>>, <<131, 105, 255, 255, 255, 255>>, <<131, 108, 255, 255, 255, 255, 106>>],
    [io:format("~w~n", [?T(binary_to_term(B))]) || B <- Bad],
    %% Every proper prefix of a valid encoding is malformed.
    Full = term_to_binary({[1, 2.5, "str", <<"bin">>, <<1:3>>, #{k => v}], -1 bsl 80, atom, fun lists:map/2}),
    Prefixes = [binary_part(Full, 0, N) || N <- lists:seq(0, byte_size(Full) - 1)],
    io:format("~w~n", [lists:usort([?T(binary_to_term(P)) || P <- Prefixes])]),
    %% Bytes changed one at a time: erl and xbeam agree on what is still valid.
    Small = term_to_binary({[1, "ab"], 3.0, #{a => b}, <<5:4>>, 1 bsl 40}),
    [io:format("~w ~w~n", [I, [?T(binary_to_term(setbyte(Small, I, V))) || V <- [0, 1, 2, 97, 106, 255]]])
     || I <- lists:seq(1, byte_size(Small) - 1)].

t(F) ->
    try F() catch C:R -> {C, R} end.

setbyte(B, I, V) ->
    <<Pre:I/binary, _, Post/binary>> = B,
    <<Pre/binary, V, Post/binary>>.

md5() ->
    Inputs = [<<>>, "a", "abc", "message digest", <<"12345678901234567890123456789012345678901234567890123456789012345678901234567890">>,
              list_to_binary(lists:seq(0, 255)), lists:duplicate(55, $x), lists:duplicate(56, $x),
              lists:duplicate(63, $x), lists:duplicate(64, $x), [<<"ab">>, [$c, [<<>>]], <<"de">>],
              list_to_binary(lists:duplicate(1000, "0123456789"))],
    [io:format("~w~n", [erlang:md5(I)]) || I <- Inputs],
    Ctx = lists:foldl(fun(I, C) -> erlang:md5_update(C, I) end, erlang:md5_init(), Inputs),
    io:format("~w ~w~n", [erlang:md5_final(Ctx), byte_size(Ctx)]),
    io:format("~w~n", [erlang:md5_final(erlang:md5_init())]),
    C1 = erlang:md5_update(erlang:md5_init(), "abc"),
    io:format("~w ~w~n", [erlang:md5_final(C1), erlang:md5_final(erlang:md5_update(C1, "def"))]),
    Bad = [fun() -> erlang:md5(atom) end, fun() -> erlang:md5([256]) end, fun() -> erlang:md5(<<1:1>>) end,
           fun() -> erlang:md5([1 | 2]) end, fun() -> erlang:md5_update(<<1, 2>>, "x") end,
           fun() -> erlang:md5_update(erlang:md5_init(), [a]) end, fun() -> erlang:md5_final(foo) end,
           fun() -> erlang:md5_final(<<0:87/unit:8>>) end],
    [io:format("~w~n", [try F() catch C:R -> {C, R} end]) || F <- Bad].
