%% Bignums of 64 bits and more against floats: compared exactly, as BEAM
%% does (the float as the integer it is), not after rounding the bignum.
-module(compare_big_float).
-export([main/0]).
main() ->
    Bigs = [1 bsl 64, (1 bsl 64) + 1, -(1 bsl 64), 79228162514264548699776483326, -79228162514264548699776483326,
            1 bsl 100, (1 bsl 100) - 1, (1 bsl 100) + 1, 123456789012345678901234567890123, -(1 bsl 70)],
    Floats = [0.0, -0.0, 1.0, -1.0, 1.8446744073709552e19, 7.922816251426455e28, -7.922816251426455e28,
              1.2676506002282294e30, -1.1805916207174113e21, 1.0e300, -1.0e300, 5.0e18],
    [io:format("~p ~p ~p ~p ~p~n", [B, F, B < F, B == F, B > F]) || B <- Bigs, F <- Floats],
    io:format("~p~n", [lists:sort([1 bsl 100, 1.2676506002282294e30, (1 bsl 100) - 1, (1 bsl 100) + 1])]).
