%% bs_create_bin's Alloc operand: the heap words the code right after it
%% allocates without a test of its own (here the cell that conses each
%% record onto the list), which the binary's construction must leave free.
%% Records of 3 bytes and a UTF-8 body, some past 64 bytes (off the heap),
%% built 2,000 times; and a binary followed by a fun, whose Alloc is the
%% list form {alloc, [{words, 0}, {floats, 0}, {funs, 1}]}.
-module(bs_create_alloc).
-export([main/0]).

main() ->
    Recs = build(2000, 42, []),
    Bin = list_to_binary(Recs),
    io:format("~p ~p ~p~n", [length(Recs), byte_size(Bin), erlang:crc32(Bin)]),
    Funs = [with_fun(B) || B <- Recs],
    io:format("~p~n", [lists:sum([F() || F <- Funs])]).

with_fun(B) ->
    App = <<B/binary, "x">>,
    fun() -> byte_size(App) end.

build(0, _, Acc) -> lists:reverse(Acc);
build(N, S, Acc) ->
    S1 = (S * 75 + 74) rem 65537,
    Chars = [case I rem 5 of
                 0 -> $a + (S1 + I) rem 26;
                 1 -> 16#e0 + (S1 + I) rem 32;
                 2 -> 16#3b1 + (S1 + I) rem 24;
                 3 -> 16#4e00 + (S1 * I) rem 4096;
                 4 -> 16#1f600 + I rem 64
             end || I <- lists:seq(1, 10 + S1 rem 30)],
    B = unicode:characters_to_binary(Chars),
    build(N - 1, S1, [<<(S1 rem 4 + 1):8, (byte_size(B)):16, B/binary>> | Acc]).
