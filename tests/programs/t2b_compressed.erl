%% term_to_binary's `compressed` option: zlib's bytes at every level, for
%% terms that compress well, badly and not at all, and ones that only just
%% compress (5 bytes shorter than the plain encoding, as erts asks); the
%% result reads back.  (tests/zlib-props.test.ts tries random inputs.)
-module(t2b_compressed).
-export([main/0]).

main() ->
    Terms = [a, list_to_tuple(lists:duplicate(8, {})),   % zlib saves 5 bytes: compressed
             [lists:duplicate(14, 7) | x],                % 4: not
             lists:duplicate(5, a), lists:duplicate(6, a), lists:duplicate(7, a),
             lists:seq(1, 300), {hello, "world", <<"bin">>, 3.14},
             [{I, integer_to_list(I * 7919)} || I <- lists:seq(1, 2000)],
             list_to_binary([(I * I) rem 251 || I <- lists:seq(1, 70000)]),
             binary:copy(<<"0123456789abcdef">>, 5000),
             crypto_free_noise(3000)],
    lists:foreach(fun(T) ->
        Plain = term_to_binary(T),
        [begin
             B = term_to_binary(T, Opts),
             T = binary_to_term(B),
             io:format("~w ~w ~w ~w~n", [Opts, byte_size(Plain), byte_size(B), erlang:md5(B)])
         end || Opts <- [[compressed] | [[{compressed, L}] || L <- lists:seq(0, 9)]]]
    end, Terms),
    io:format("~w~n", [term_to_binary(lists:duplicate(7, a), [compressed])]).

%% Bytes from a generator that zlib finds no matches in worth having.
crypto_free_noise(N) -> noise(N, 12345, []).
noise(0, _, Acc) -> list_to_binary(Acc);
noise(N, S, Acc) ->
    S1 = (S * 1103515245 + 12345) band 16#7fffffff,
    noise(N - 1, S1, [(S1 bsr 16) band 255 | Acc]).
