%% runtime-erl/xbeam_float.erl — floats as text, and text as floats.
%%
%% In:  floats, seen as their IEEE bits through xbeam:float_to_bits/1, and
%%      strings.  Out: erlang:float_to_list/1,2, float_to_binary/1,2,
%%      list_to_float/1, binary_to_float/1 (emitter/bifs.ts points the BIFs
%%      here) and io_lib_format:signbit/1, with BEAM's results.
%%
%% A finite float is M * 2^E exactly (M below 2^53), so every conversion
%% is exact integer arithmetic on bignums and rounds correctly where BEAM
%% rounds correctly (C's printf, strtod and Ryu): ties to even on the
%% exact value.  Where BEAM's own C rounds otherwise ({decimals, N} below
%% 2^53 computes in doubles), that code is reproduced step by step, each
%% double operation rounded here as the machine rounds it.
-module(xbeam_float).
-export([float_to_list/1, float_to_list/2, float_to_binary/1, float_to_binary/2,
         list_to_float/1, binary_to_float/1, signbit/1]).
-compile({no_auto_import, [float_to_list/2, float_to_binary/2, list_to_float/1, binary_to_float/1]}).

%% erts's buffer for the text: a longer result is badarg.
-define(BUFFER, 256).
%% SYS_DEFAULT_FLOAT_DECIMALS: float_to_list/1 is "%.20e".
-define(DEFAULT_DECIMALS, 20).

float_to_list(F) -> float_to_list(F, []).

float_to_binary(F) -> float_to_binary(F, []).

float_to_binary(F, Options) -> list_to_binary(float_to_list(F, Options)).

%% The options as BEAM reads them: each in turn, the last format and the
%% last number winning; the number must be a small of a 64-bit machine and
%% is then taken as a C int.
float_to_list(F, Options) when is_float(F) ->
    case options(Options, legacy, ?DEFAULT_DECIMALS, false) of
        {short, _, _} -> short(F);
        {fixed, D, Compact} when D >= 0 -> fixed(F, D, Compact);
        {fixed, _, _} -> erlang:error(badarg);
        {_, D, _} -> checked(scientific(F, D))
    end;
float_to_list(_, _) ->
    erlang:error(badarg).

options([compact | T], Fmt, D, _) -> options(T, Fmt, D, true);
options([short | T], _, D, C) -> options(T, short, D, C);
options([{decimals, N} | T], _, _, C) when is_integer(N) -> options(T, fixed, c_int(N), C);
options([{scientific, N} | T], _, _, C) when is_integer(N) -> options(T, scientific, c_int(N), C);
options([], Fmt, D, C) -> {Fmt, D, C};
options(_, _, _, _) -> erlang:error(badarg).

c_int(N) when N >= -(1 bsl 59), N < 1 bsl 59 ->
    ((N band 16#FFFFFFFF) bxor 16#80000000) - 16#80000000;
c_int(_) ->
    erlang:error(badarg).

checked(S) when length(S) < ?BUFFER -> S;
checked(_) -> erlang:error(badarg).

%% io_lib_format's sign test, which reads the bit with bit syntax.
signbit(F) ->
    case xbeam:float_to_bits(F) < 0 of
        true -> "-";
        false -> []
    end.

%% ---------------------------------------------------------------------------
%% The value of a float: {Negative, M, E}, the magnitude M * 2^E.

decompose(F) ->
    Bits = xbeam:float_to_bits(F),
    U = Bits band 16#7FFFFFFFFFFFFFFF,
    Biased = U bsr 52,
    Fraction = U band (1 bsl 52 - 1),
    case Biased of
        0 -> {Bits < 0, Fraction, -1074};
        _ -> {Bits < 0, Fraction bor (1 bsl 52), Biased - 1075}
    end.

sign(true) -> "-";
sign(false) -> "".

%% X * 2^E / 10^K as a fraction {Num, Den}.
scaled(X, E, K) ->
    {N0, D0} = if E >= 0 -> {X bsl E, 1}; true -> {X, 1 bsl -E} end,
    if K >= 0 -> {N0, D0 * pow10(K)}; true -> {N0 * pow10(-K), D0} end.

pow10(0) -> 1;
pow10(N) when N rem 2 =:= 0 -> P = pow10(N div 2), P * P;
pow10(N) -> 10 * pow10(N - 1).

bit_length(N) -> bit_length(N, 0).
bit_length(N, B) when N >= 1 bsl 64 -> bit_length(N bsr 64, B + 64);
bit_length(0, B) -> B;
bit_length(N, B) -> bit_length(N bsr 1, B + 1).

%% Num / Den rounded to an integer, ties to even.
round_even(Num, Den) ->
    Q = Num div Den,
    R = Num - Q * Den,
    if 2 * R > Den -> Q + 1;
       2 * R =:= Den, Q band 1 =:= 1 -> Q + 1;
       true -> Q
    end.

%% Num / Den rounded to an integer, ties away from zero (C's round()).
round_away(Num, Den) ->
    Q = Num div Den,
    R = Num - Q * Den,
    if 2 * R >= Den -> Q + 1; true -> Q end.

%% The power of ten of the first digit of M * 2^E > 0.
decimal_exponent(M, E) ->
    K0 = floor((bit_length(M) + E - 1) * 0.30102999566398120),
    fix_exponent(M, E, K0).

fix_exponent(M, E, K) ->
    {N, D} = scaled(M, E, K),
    if N < D -> fix_exponent(M, E, K - 1);
       N >= 10 * D -> fix_exponent(M, E, K + 1);
       true -> K
    end.

%% The first P digits of M * 2^E > 0, rounded (ties to even), and the
%% power of ten of the first: {Digits, K}.
significant(M, E, P) ->
    K = decimal_exponent(M, E),
    {N, D} = scaled(M, E, K - P + 1),
    Q = round_even(N, D),
    case Q >= pow10(P) of
        true -> {integer_to_list(Q div 10), K + 1};
        false -> {integer_to_list(Q), K}
    end.

%% ---------------------------------------------------------------------------
%% {scientific, D} and float_to_list/1: C's "%.De".  A negative D is
%% printf's default, 6.

scientific(F, D) when D < 0 -> scientific(F, 6);
scientific(F, D) ->
    {Neg, M, E} = decompose(F),
    {Digits, K} = case M of
                      0 -> {lists:duplicate(D + 1, $0), 0};
                      _ -> significant(M, E, D + 1)
                  end,
    [First | Rest] = Digits,
    Mantissa = case D of 0 -> [First]; _ -> [First, $. | Rest] end,
    sign(Neg) ++ Mantissa ++ exponent(K).

exponent(K) when K < 0 -> "e-" ++ two_digits(-K);
exponent(K) -> "e+" ++ two_digits(K).

two_digits(N) when N < 10 -> [$0, $0 + N];
two_digits(N) -> integer_to_list(N).

%% ---------------------------------------------------------------------------
%% {decimals, D}: BEAM's sys_double_to_chars_fast.  Up to 2^53 and below
%% 19 decimals it computes in doubles: the integer part is floor(|x|), the
%% fraction (|x| - floor(|x|)) * 10^D rounded to a double and then to an
%% integer with C's round() (D = 0: llround(|x|)).  Beyond, it is C's
%% "%.Df", correctly rounded.  compact drops trailing zeros (keeping one
%% after the point; past the fast path, with D = 0, even the integer's).

fixed(F, D, Compact) ->
    {Neg, M, E} = decompose(F),
    case (E =< 0 orelse M bsl E =< 1 bsl 53) andalso D < 19 of
        true ->
            S = sign(Neg) ++ fixed_fast(M, E, D),
            if Compact, D > 0 -> compact(S); true -> S end;
        false ->
            S = checked(sign(Neg) ++ fixed_exact(M, E, D)),
            if Compact -> compact(S); true -> S end
    end.

fixed_fast(M, E, 0) ->
    {N, Den} = scaled(M, E, 0),
    integer_to_list(round_away(N, Den));
fixed_fast(M, E, D) ->
    {N, Den} = scaled(M, E, 0),
    Int = N div Den,
    %% (|x| - floor(|x|)) is exact; its product with 10^D rounds to a double.
    Frac = case N - Int * Den of
               0 -> 0;
               R -> {FM, FE} = rational_to_double(R * pow10(D), Den),
                    {FN, FD} = scaled(FM, FE, 0),
                    round_away(FN, FD)
           end,
    Limit = pow10(D),
    {Int1, Frac1} = if Frac >= Limit -> {Int + 1, 0}; true -> {Int, Frac} end,
    FracText = integer_to_list(Frac1),
    integer_to_list(Int1) ++ "." ++ lists:duplicate(D - length(FracText), $0) ++ FracText.

fixed_exact(M, E, D) ->
    {N, Den} = scaled(M, E, -D),
    Q = integer_to_list(round_even(N, Den)),
    Padded = lists:duplicate(max(D + 1 - length(Q), 0), $0) ++ Q,
    case D of
        0 -> Padded;
        _ -> {Int, Frac} = lists:split(length(Padded) - D, Padded),
             Int ++ "." ++ Frac
    end.

%% find_first_trailing_zero: trailing zeros go, but "x.0" keeps its 0.
compact(S) ->
    case lists:reverse(S) of
        [$0 | _] = R ->
            case lists:dropwhile(fun(C) -> C =:= $0 end, R) of
                [$. | _] = Kept -> lists:reverse([$0 | Kept]);
                Kept -> lists:reverse(Kept)
            end;
        _ -> S
    end.

%% ---------------------------------------------------------------------------
%% [short]: the shortest digits that read back as the same float (Ryu,
%% as OTP 25's d2s), printed in OTP's form.  Exact: the float owns the
%% interval halfway to its neighbours (a quarter below a power of two),
%% closed when M is even; the shortest decimal in it is found from the
%% longest power of ten down, and among those of that length the one
%% closest to the float, ties to even.

short(F) ->
    case decompose(F) of
        {Neg, 0, _} -> sign(Neg) ++ "0.0";
        {Neg, M, E} -> sign(Neg) ++ short_text(shortest(M, E))
    end.

shortest(M, E) ->
    Closed = M band 1 =:= 0,
    Shift = case M =:= 1 bsl 52 andalso E > -1074 of true -> 0; false -> 1 end,
    Low = 4 * M - 1 - Shift,
    High = 4 * M + 2,
    K0 = ceil((bit_length(High) + E - 2) * 0.30102999566398120) + 1,
    shortest(M, E - 2, Low, High, Closed, K0).

shortest(M, E, Low, High, Closed, K) ->
    {LN, LD} = scaled(Low, E, K),
    {HN, HD} = scaled(High, E, K),
    First = case Closed of
                true -> ceil_div(LN, LD);
                false -> LN div LD + 1
            end,
    Last = case Closed of
               true -> HN div HD;
               false -> ceil_div(HN, HD) - 1
           end,
    if First =< Last ->
            {VN, VD} = scaled(4 * M, E, K),
            D = max(First, min(Last, round_even(VN, VD))),
            {D, K};
       true ->
            shortest(M, E, Low, High, Closed, K - 1)
    end.

ceil_div(N, D) -> (N + D - 1) div D.

%% Ryu's to_chars as OTP changed it: fixed notation for exponents from
%% Lower to Upper (narrower for one digit and for long integers), else
%% scientific with at least one decimal and no "+" in the exponent.
short_text({Output, Exp}) ->
    Digits = integer_to_list(Output),
    Length = length(Digits),
    SciExp = Exp + Length - 1,
    {Lower, Upper} = if Length =:= 1 -> {-4, 2};
                        SciExp >= 10 -> {-(Length + 2), 2};
                        true -> {-(Length + 2), 1}
                     end,
    Fixed = Lower =< Exp andalso Exp =< Upper andalso
        not ((Output >= 1 bsl 53 andalso Exp =:= 0)
             orelse (Output > (1 bsl 52) div 5 andalso Exp =:= 1)
             orelse (Output > (1 bsl 51) div 25 andalso Exp =:= 2)),
    case Fixed of
        true when Exp >= 0 -> Digits ++ lists:duplicate(Exp, $0) ++ ".0";
        true when Length + Exp > 0 ->
            {Int, Frac} = lists:split(Length + Exp, Digits),
            Int ++ "." ++ Frac;
        true -> "0." ++ lists:duplicate(-(Length + Exp), $0) ++ Digits;
        false ->
            [First | Rest] = Digits,
            Mantissa = case Rest of [] -> [First, $., $0]; _ -> [First, $. | Rest] end,
            Mantissa ++ "e" ++ integer_to_list(SciExp)
    end.

%% ---------------------------------------------------------------------------
%% Text to floats: BEAM's syntax ([+-]digits[.,]digits[(e|E)[+-]digits],
%% nothing else), then strtod's correctly rounded value; an overflow is
%% badarg, an underflow 0.0.

list_to_float(L) when is_list(L) ->
    case catch parse(L) of
        {ok, F} -> F;
        _ -> erlang:error(badarg)
    end;
list_to_float(_) ->
    erlang:error(badarg).

binary_to_float(B) when is_binary(B) ->
    case catch parse(binary_to_list(B)) of
        {ok, F} -> F;
        _ -> erlang:error(badarg)
    end;
binary_to_float(_) ->
    erlang:error(badarg).

parse([$- | T]) -> parse(true, T);
parse([$+ | T]) -> parse(false, T);
parse(T) -> parse(false, T).

parse(Neg, S0) ->
    {Int, [Point | S1]} = digits(S0),
    true = Int =/= [] andalso (Point =:= $. orelse Point =:= $,),
    {Frac, S2} = digits(S1),
    true = Frac =/= [],
    Exp = case S2 of
              [] -> 0;
              [X | S3] when X =:= $e; X =:= $E ->
                  {ExpNeg, S4} = case S3 of
                                     [$- | S5] -> {true, S5};
                                     [$+ | S5] -> {false, S5};
                                     _ -> {false, S3}
                                 end,
                  {ExpDigits, []} = digits(S4),
                  true = ExpDigits =/= [],
                  N = list_to_integer(ExpDigits),
                  case ExpNeg of true -> -N; false -> N end
          end,
    {ok, value(Neg, list_to_integer(Int ++ Frac), Exp - length(Frac))}.

digits(S) -> lists:splitwith(fun(C) -> C >= $0 andalso C =< $9 end, S).

%% Neg, Digits * 10^Exp as the nearest float.
value(Neg, 0, _) -> from_parts(Neg, 0, 0);
value(Neg, Digits, Exp) ->
    Magnitude = length(integer_to_list(Digits)) + Exp,
    if Magnitude > 310 -> erlang:error(badarg);           % beyond 1.8e308
       Magnitude < -330 -> from_parts(Neg, 0, 0);          % below 4.9e-324 / 2
       true ->
            {N, D} = if Exp >= 0 -> {Digits * pow10(Exp), 1}; true -> {Digits, pow10(-Exp)} end,
            {M, E} = rational_to_double(N, D),
            from_parts(Neg, M, E)
    end.

%% N / D > 0 rounded to a double (ties to even): {M, E} with M * 2^E the
%% double's value, M below 2^53 (below 2^52 only for a subnormal).
rational_to_double(N, D) ->
    E0 = max(bit_length(N) - bit_length(D) - 53, -1074),
    E = case quotient(N, D, E0) >= 1 bsl 53 of true -> E0 + 1; false -> E0 end,
    M = round_scaled(N, D, E),
    case M =:= 1 bsl 53 of
        true -> {1 bsl 52, E + 1};
        false -> {M, E}
    end.

quotient(N, D, E) when E >= 0 -> N div (D bsl E);
quotient(N, D, E) -> (N bsl -E) div D.

round_scaled(N, D, E) when E >= 0 -> round_even(N, D bsl E);
round_scaled(N, D, E) -> round_even(N bsl -E, D).

%% The float of sign, M and E (M * 2^E exact); badarg beyond the doubles.
from_parts(Neg, 0, _) ->
    xbeam:float_from_bits(case Neg of true -> 1 bsl 63; false -> 0 end);
from_parts(Neg, M, E) ->
    Bits = if M < 1 bsl 52 -> M;                          % subnormal: E is -1074
              E > 971 -> erlang:error(badarg);
              true -> ((E + 1075) bsl 52) bor (M - (1 bsl 52))
           end,
    xbeam:float_from_bits(case Neg of true -> Bits bor (1 bsl 63); false -> Bits end).
