-module(bignum).
-export([main/0, id/1]).

%% Integers beyond 28 bits.  Operands go through id/1 so that erlc cannot
%% fold the arithmetic at compile time: the runtime must do it.
id(X) -> X.

main() ->
    erlang:display([name(X) || X <- [1 bsl 64, -(1 bsl 40), 12345678901234567890, 0, 1 bsl 63, 7]]),
    boundary(),
    factorials(),
    powers(),
    signs(),
    division(),
    bitwise(),
    shifts(),
    order(),
    literals(),
    guards(),
    errors(),
    survives_gc().

%% Around the 28-bit boundary of small integers, both ways.
boundary() ->
    Max = id(134217727), Min = id(-134217728),
    erlang:display([Max + 1, Max + 2, Min - 1, Min - 2, -Min, abs(Min), Min div -1,
                    (Max + 1) - 1, (Min - 1) + 1, Max * 2, Min * 2, Max * Max, Min * Min, Max * Min]),
    erlang:display([is_integer(Max + 1), (Max + 1) - 1 =:= Max, Max + 1 - 1 == Max, bnot Max, bnot Min,
                    bnot (Max + 1), bnot (Min - 1), -(Max + 1), abs(Min - 1)]),
    %% 32 and 64 bits: one digit and two.
    W = id(4294967295), D = id(18446744073709551615),
    erlang:display([W + 1, W * W, D + 1, D * D, -D - 1, (D + 1) div (W + 1), (D + 1) rem W, D - W * (W + 2)]).

fact(0) -> 1;
fact(N) -> N * fact(N - 1).

factorials() ->
    erlang:display([fact(N) || N <- id([10, 12, 13, 20, 21, 25, 30])]),
    erlang:display(fact(id(100))),
    erlang:display(-fact(id(52))),
    %% Division undoes multiplication, exactly.
    erlang:display([fact(N) div fact(N - 1) || N <- id([13, 30, 60, 99])]),
    erlang:display([fact(N) rem 1000000007 || N <- id([40, 80, 160])]).

powers() ->
    erlang:display(pow2(id(0), 1, [])),
    erlang:display([(id(1) bsl N) - 1 || N <- [27, 28, 31, 32, 33, 63, 64, 65, 96, 128]]),
    erlang:display([-(id(1) bsl N) || N <- [27, 28, 31, 32, 33, 63, 64, 65]]),
    erlang:display(pow(id(3), 200)),
    erlang:display(pow(id(-7), 77)).

pow2(130, _, Acc) -> lists_reverse(Acc, []);
pow2(N, P, Acc) when N rem 13 =:= 0 -> pow2(N + 1, P * 2, [P | Acc]);
pow2(N, P, Acc) -> pow2(N + 1, P + P, Acc).

pow(_, 0) -> 1;
pow(B, E) -> B * pow(B, E - 1).

signs() ->
    Xs = id([-18446744073709551616, -4294967296, -134217729, -5, 0, 7, 134217728, 4294967297, 36893488147419103232]),
    erlang:display([X + Y || X <- Xs, Y <- Xs]),
    erlang:display([X - Y || X <- Xs, Y <- Xs]),
    erlang:display([X * Y || X <- Xs, Y <- Xs]).

%% div truncates toward zero; rem takes the dividend's sign.
division() ->
    As = id([1000000000000000000000007, -1000000000000000000000007, 18446744073709551616,
             -340282366920938463463374607431768211455, 123]),
    Bs = id([3, -3, 4294967296, -4294967297, 18446744073709551617, -98765432109876543210, 7]),
    erlang:display([{A div B, A rem B} || A <- As, B <- Bs]),
    erlang:display([A =:= (A div B) * B + A rem B || A <- As, B <- Bs]),
    %% Knuth's algorithm D needs its rare "add back" step on these.
    U1 = id(16#7fffffff800000000000000000000000), V1 = id(16#800000000000000000000001),
    U2 = id(16#00008000000000000000fffe00000000), V2 = id(16#00008000000000000000ffff),
    U3 = id(16#800000000000000000000003), V3 = id(16#200000000000000000000001),
    erlang:display([{U div V, U rem V} || {U, V} <- [{U1, V1}, {U2, V2}, {U3, V3}]]),
    erlang:display([(id(1) bsl 200) div ((id(1) bsl 100) - 1), (id(1) bsl 200) rem ((id(1) bsl 100) + 1)]).

bitwise() ->
    Xs = id([-36893488147419103233, -18446744073709551616, -4294967295, -134217728, -1, 0, 255,
             134217728, 4294967296, 340282366920938463463374607431768211455]),
    erlang:display([X band Y || X <- Xs, Y <- Xs]),
    erlang:display([X bor Y || X <- Xs, Y <- Xs]),
    erlang:display([X bxor Y || X <- Xs, Y <- Xs]),
    erlang:display([bnot X || X <- Xs]).

shifts() ->
    Xs = id([1, -1, 12345, -12345, 134217727, -134217728, 18446744073709551617, -18446744073709551617]),
    Ns = id([0, 1, 4, 27, 31, 32, 33, 63, 64, 100, -1, -5, -32, -33, -64, -100, -200]),
    erlang:display([X bsl N || X <- Xs, N <- Ns]),
    erlang:display([X bsr N || X <- Xs, N <- Ns]),
    erlang:display([id(0) bsl 100000000, id(5) bsr 100000000, id(-5) bsr 100000000,
                    id(-5) bsr (1 bsl 80), id(5) bsl -(1 bsl 80), id(0) bsl (1 bsl 80)]).

order() ->
    Xs = id([1 bsl 64, -3, -(1 bsl 64), 134217727, 134217728, -134217728, -134217729, 0,
             (1 bsl 64) + 1, -(1 bsl 64) - 1, 1 bsl 100, -(1 bsl 100), 4294967296, a, {1 bsl 70}]),
    erlang:display(sort(Xs)),
    erlang:display([{X < Y, X == Y, X >= Y, X =:= Y, X =/= Y} || X <- lists_sub(Xs), Y <- lists_sub(Xs)]),
    erlang:display([id(1 bsl 64) == (id(1 bsl 63) * 2), {id(1 bsl 64)} =:= {1 bsl 64},
                    [1 bsl 64 | x] == [id(1 bsl 64) | x], max2(id(1 bsl 80), 3), max2(-3, id(-(1 bsl 80)))]).

lists_sub([A, B, C, D, E | _]) -> [A, B, C, D, E].

max2(A, B) when A > B -> A;
max2(_, B) -> B.

literals() ->
    erlang:display(123456789012345678901234567890123456789012345678901234567890),
    erlang:display(-98765432109876543210987654321098765432109876543210),
    erlang:display({1000000000, 999999999999999999, 1000000000000000000, -1000000000000000000000000000}),
    erlang:display(id(123456789012345678901234567890) * 1000000000 + 123456789).

%% In guards a failing operation makes the guard false.
guards() ->
    erlang:display([classify(X) || X <- id([1 bsl 70, -(1 bsl 70), 5, a, 1 bsl 27])]).

classify(X) when X * X > 1 bsl 100 -> huge;
classify(X) when X + 1 > 1 bsl 27 -> big;
classify(X) when is_integer(X), X bsl 1 >= 0 -> small;
classify(X) when is_integer(X) -> negative;
classify(_) -> other.

errors() ->
    Big = id(1 bsl 80),
    erlang:display([catch_error(fun() -> Big + a end), catch_error(fun() -> Big div 0 end),
                    catch_error(fun() -> Big rem 0 end), catch_error(fun() -> abs(id(a)) end),
                    catch_error(fun() -> -id(a) end), catch_error(fun() -> bnot id(a) end),
                    catch_error(fun() -> Big bsl (1 bsl 40) end), catch_error(fun() -> Big bsl 40000000 end),
                    catch_error(fun() -> id(1) bsr -40000000 end), catch_error(fun() -> Big band 1.5 end)]),
    erlang:display(is_integer(erlang:monotonic_time(nanosecond))).

catch_error(F) ->
    try F() catch error:R -> R end.

%% Bignums live across many collections, and collections happen inside the
%% arithmetic itself (fact(2000) allocates a new ~600-digit result each step).
survives_gc() ->
    F = fact(id(2000)),
    erlang:display(F rem 1000000000000000000000000000057),
    erlang:display(F div fact(id(1998))),
    Keep = keep(300, []),
    erlang:display(length(Keep)),
    erlang:display(sum(Keep, 0)),
    erlang:display(products(id(60000), 0)),
    erlang:display(count_big(id(60000), 0)),
    erlang:display(fact(id(450))).

%% Small times small that overflows: a two-digit bignum each time, garbage
%% at once, so collections also come while one is being made.
products(0, S) -> S;
products(N, S) -> products(N - 1, (S + N * 134217727 * 3) rem 100000000000000000000).

%% Only the overflowing products allocate here.
count_big(0, C) -> C;
count_big(N, C) ->
    X = N * 134217727,
    case X > 1 bsl 40 of
        true -> count_big(N - 1, C + 1);
        false -> count_big(N - 1, C)
    end.

keep(0, Acc) -> Acc;
keep(N, Acc) ->
    _ = garbage(200, []),
    keep(N - 1, [(id(1) bsl (N + 40)) * N - N | Acc]).

garbage(0, Acc) -> Acc;
garbage(N, Acc) -> garbage(N - 1, [{N, (1 bsl 90) + N} | Acc]).

sum([], S) -> S;
sum([H | T], S) -> sum(T, S + H).

%% Helpers that need no library.
lists_reverse([], Acc) -> Acc;
lists_reverse([H | T], Acc) -> lists_reverse(T, [H | Acc]).

sort([]) -> [];
sort([P | T]) -> sort([X || X <- T, X < P]) ++ [P] ++ sort([X || X <- T, X >= P]).

%% A case on bignum constants (select_val with boxed values).
name(1 bsl 64) -> two_to_the_64;
name(-(1 bsl 40)) -> minus_two_to_the_40;
name(12345678901234567890) -> twenty_digits;
name(0) -> zero;
name(_) -> other.
