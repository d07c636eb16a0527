%% Floats end to end: float registers and arithmetic, the guard BIFs,
%% conversions both ways, comparisons, the math module, printing with
%% io:format and float_to_list's options, and badarith/badarg cases.
-module(floats).
-export([main/0]).

main() ->
    arithmetic(),
    guards(),
    conversions(),
    comparisons(),
    printing(),
    math_module(),
    errors(),
    ok.

id(X) -> X.

t(F) ->
    try F() of V -> V catch C:R -> {C, R} end.

p(Label, V) -> io:format("~s: ~p~n", [Label, V]).

%% Compiled to fmove/fconv/fadd... when the compiler knows the operands are floats.
poly(X) when is_float(X) -> 3.0 * X * X - 2.5 * X + 1.0 / X.
mix(X, N) when is_float(X), is_integer(N) -> X * N + N / 4 - X.
neg(X) when is_float(X) -> -X.
big(X) when is_float(X) -> X + (1 bsl 70).

arithmetic() ->
    p("poly", [poly(id(F)) || F <- [1.0, -2.5, 0.1, 1.0e10, 3.0e-5]]),
    p("mix", [mix(id(F), id(N)) || {F, N} <- [{1.5, 3}, {-0.25, -7}, {1.0e6, 1 bsl 40}]]),
    p("neg", [neg(id(0.0)), neg(id(-0.0)), neg(id(2.5))]),
    p("big", big(id(0.5))),
    p("ops", [id(1.5) + id(2), id(7) - id(0.5), id(3) * id(0.1), id(1) / id(3), id(6) / id(3),
              id(1 bsl 64) / id(3), id(1.0e200) * id(1.0e100), -id(0.0), abs(id(-0.0)), abs(id(-3.5)),
              +id(2.5), id(0.1) + id(0.2), id(1.0e16) + id(1.0)]),
    p("bignum to float", [float(id(1 bsl 53 + 1)), float(id(1 bsl 64 - 1)), float(id((1 bsl 100) + (1 bsl 47) + 1)),
                          float(id(-(1 bsl 1000))), id(1 bsl 1023) * 1.0]),
    p("rounding", [{round(F), trunc(F), floor(F), ceil(F)} || F <- id([2.5, -2.5, 0.49999999999999994, -0.5, 1.0e20, -1.0e30, 123.456, -7.0, 5.0e-324, 9.223372036854776e18])]).

kind(X) when is_float(X), X > 1.0 -> big_float;
kind(X) when is_float(X) -> float;
kind(X) when is_number(X) -> number;
kind(_) -> other.

guards() ->
    p("kinds", [kind(id(X)) || X <- [2.0, 0.5, 3, a]]),
    p("guard bifs", [X || X <- id([1, 2.0, 3.5, -1.5, 4]), X / 2 > 1, round(X) =:= X orelse trunc(X) > 0, float(X) < 10]),
    p("is", [{is_float(X), is_number(X), is_integer(X)} || X <- id([1.0, 1, a])]).

conversions() ->
    Fs = id([0.0, -0.0, 1.0, 0.1, 1.0e22, 1.0e23, 5.0e-324, 2.2250738585072014e-308, 1.7976931348623157e308,
             123456789.125, 0.000123, 1.0e-5, 9007199254740993.0, 2.5, -1.25e-7, 100.0, 1.0e15, 1.0e16, 123456.0]),
    [io:format("~s ~s ~s~n", [float_to_list(F), float_to_list(F, [short]), float_to_list(F, [{scientific, 3}])]) || F <- Fs],
    [io:format("~p~n", [[t(fun() -> float_to_list(F, O) end) || O <- [[{decimals, 0}], [{decimals, 2}], [{decimals, 6}, compact],
                                                                    [{decimals, 20}], [{scientific, 0}], [compact], [short, {decimals, 1}]]]])
     || F <- Fs, abs(F) < 1.0e30],
    p("binary", [float_to_binary(1.5), float_to_binary(0.1, [short]), float_to_binary(2.0, [{decimals, 3}])]),
    p("parse", [t(fun() -> list_to_float(S) end) || S <- ["1.0", "-1.5e3", "+2.25E-2", "1,5", "0.1e-400", "1.0e400", "1", "1.",
                                                       ".5", "1e5", "1.0e", " 1.0", "1.0 ", "0.30000000000000004", "4.9e-324", "2.4703282292062328e-324"]]),
    p("binary parse", [t(fun() -> binary_to_float(B) end) || B <- [<<"3.5">>, <<"1e1">>, <<"-0.0">>]]),
    p("round trip", [list_to_float(float_to_list(F)) =:= F andalso list_to_float(float_to_list(F, [short])) =:= F || F <- Fs]).

comparisons() ->
    p("compare", [{A < B, A == B, A =:= B} || {A, B} <- id([{1, 1.0}, {0.0, -0.0}, {1.5, 2}, {2, 1.5}, {1 bsl 64, 1.8446744073709552e19},
                                                          {-1.0e300, -(1 bsl 900)}, {0.1, 0.30000000000000004 - 0.2}])]),
    p("sort", lists:sort(id([3, 2.5, -1, -1.5, 1.0e20, 1 bsl 70, 0.0, 0]))),
    p("max", [max(id(1), id(1.0)), min(id(2.0), id(3)), lists:max(id([1.5, 2, 0.5]))]).

printing() ->
    Fs = id([1.5, -0.0, 0.1, 1.0e20, 1.0e-10, 123456.789, 3.141592653589793, 2.0e-308, 5.0e-324, 100.0, 1.0e15, 1.0e16, -2.5, 0.05, 999999.5]),
    [io:format("~p ~w ~f ~e ~g ~.3f ~.2e ~.9g ~10.4f|~-12.3e|~n", [F, F, F, F, F, F, F, F, F, F]) || F <- Fs],
    io:format("~p~n", [{1.0, [2.5, {x, -0.125}], #{k => 1.0e100}}]).

math_module() ->
    p("math", [math:sqrt(2), math:pow(2, 10), math:pow(2.0, -2), math:pow(-2.0, 3), math:pow(9, 0.5), math:exp(0), math:exp(1),
               math:log(1), math:log(2.718281828459045), math:log2(1024), math:log10(1000), math:log10(0.001),
               math:sin(0.0), math:sin(0.5), math:cos(0.0), math:cos(1.0), math:tan(0.25), math:asin(1.0), math:acos(-1.0),
               math:atan(1.0), math:atan2(1.0, -1.0), math:atan2(-0.0, 1.0), math:sinh(0.5), math:cosh(0.0), math:tanh(0.5), math:tanh(30.0),
               math:fmod(7.5, 2), math:fmod(-7.5, 2), math:floor(-1.5), math:floor(2.0), math:ceil(-0.5), math:ceil(1.2),
               math:pi(), math:sqrt(1 bsl 80)]).

errors() ->
    p("errors", [t(fun() -> id(1.0) / id(0) end), t(fun() -> id(1) / id(0.0) end), t(fun() -> id(1.0e308) * id(10) end),
                 t(fun() -> id(a) + id(1.0) end), t(fun() -> id(1.0) - id("x") end), t(fun() -> id(1 bsl 1024) + id(1.0) end),
                 t(fun() -> float(id(1 bsl 1024)) end), t(fun() -> float(id(a)) end), t(fun() -> round(id(a)) end),
                 t(fun() -> -id(a) end), t(fun() -> abs(id(a)) end), t(fun() -> +id(a) end),
                 t(fun() -> poly(id(0.0)) end), t(fun() -> mix(id(1.0e308), id(1 bsl 1000)) end),
                 t(fun() -> math:sqrt(-1) end), t(fun() -> math:log(0) end), t(fun() -> math:log(-1.0) end), t(fun() -> math:acos(2) end),
                 t(fun() -> math:pow(0.0, -1) end), t(fun() -> math:pow(-8.0, 1 / 3) end), t(fun() -> math:exp(1000) end),
                 t(fun() -> math:fmod(1.0, 0.0) end), t(fun() -> math:sqrt(a) end),
                 t(fun() -> float_to_list(id(1)) end), t(fun() -> float_to_list(id(1.0), [id(bad)]) end),
                 t(fun() -> float_to_list(id(1.0), [{decimals, -1}]) end), t(fun() -> float_to_list(id(1.0), [{scientific, 250}]) end)]).
