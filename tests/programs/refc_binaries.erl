%% Binaries of more than 64 bytes, which xbeam (as BEAM) keeps off the heap
%% and shares by reference count: made in every way, cut in parts that share
%% their bytes, matched, compared, hashed, used as keys, appended to, sent
%% to processes and back, kept in persistent terms and timers' messages,
%% and made by the gigabyte as garbage (which a small image survives only if
%% dead binaries are collected before the heap fills).
-module(refc_binaries).
-export([main/0]).

main() ->
    B = list_to_binary(lists:seq(0, 255)),
    C = << <<(I * 7 rem 256)>> || I <- lists:seq(1, 1000) >>,
    io:format("~p ~p ~p~n", [byte_size(B), byte_size(C), erlang:crc32(C)]),
    %% Parts that share the bytes, and parts that are copies.
    {B1, B2} = split_binary(B, 100),
    io:format("~p ~p ~p ~p~n", [byte_size(B1), byte_size(B2), binary:last(B1), binary:first(B2)]),
    P1 = binary:part(C, 10, 500),
    P2 = binary_part(C, {999, -65}),
    P3 = binary:part(C, 3, 64),
    io:format("~p ~p ~p~n", [erlang:md5(P1), erlang:crc32(P2), P3]),
    <<_:3/binary, M1:200/binary, M2/bits>> = C,
    <<_:5, M3:100/binary, _/bits>> = C,
    io:format("~p ~p ~p~n", [erlang:crc32(M1), byte_size(M2), erlang:crc32(M3)]),
    %% Comparison with heap binaries and between parts.
    H = binary:copy(B),
    io:format("~p ~p ~p ~p~n", [H =:= B, H == B, <<B1/binary, B2/binary>> =:= B, B1 < B2]),
    io:format("~p ~p~n", [lists:sort([C, B, B2, P1, M1]) =:= lists:sort([M1, P1, B2, B, C]),
                          erlang:phash2(B) =:= erlang:phash2(H)]),
    Map = maps:from_list([{binary:part(C, I, 70), I} || I <- lists:seq(0, 40)]),
    io:format("~p ~p~n", [maps:get(binary:copy(binary:part(C, 17, 70)), Map), map_size(Map)]),
    %% Bitstrings past 64 bytes.
    Bits = <<C/binary, 5:3>>,
    <<_:1000/binary, T:3>> = Bits,
    io:format("~p ~p ~p~n", [bit_size(Bits), T, is_binary(Bits)]),
    io:format("~w~n", [binary_part(C, 0, 3)]),
    %% Appends and comprehensions that grow past the heap's limit.
    A = append(<<>>, 3000),
    A2 = append_bits(<<>>, 2500),
    Old = binary:part(A, 0, 100),
    Grown = <<A/binary, "tail">>,
    io:format("~p ~p ~p ~p~n", [byte_size(A), erlang:crc32(A), bit_size(A2), erlang:crc32(<<A2/bits, 0:4>>)]),
    io:format("~p ~p~n", [byte_size(Grown), binary:part(Grown, byte_size(Grown), -6)]),
    %% Two appends to one binary: each result has its own bytes.
    X1 = <<A/binary, 1>>,
    X2 = <<A/binary, 2>>,
    io:format("~p ~p ~p~n", [binary:last(X1), binary:last(X2), Old =:= binary:part(A, 0, 100)]),
    %% Messages: to a process that keeps them, and back.
    Self = self(),
    Keeper = spawn(fun() -> keeper(Self, []) end),
    [Keeper ! {keep, binary:part(C, I * 10, 100)} || I <- lists:seq(0, 50)],
    Keeper ! {keep, B},
    Keeper ! total,
    receive {total, N, Sum} -> io:format("~p ~p~n", [N, Sum]) end,
    Keeper ! back,
    receive {back, Bins} -> io:format("~p~n", [lists:last(Bins) =:= binary:part(C, 0, 100)]) end,
    erlang:garbage_collect(),
    io:format("~p~n", [erlang:crc32(C)]),
    %% Persistent terms and timers' messages hold copies of their own.
    persistent_term:put({?MODULE, k}, {B, Bits}),
    erlang:send_after(5, self(), {timed, C}),
    receive {timed, C2} -> io:format("~p~n", [C2 =:= C]) end,
    {PB, PBits} = persistent_term:get({?MODULE, k}),
    io:format("~p ~p~n", [PB =:= B, PBits =:= Bits]),
    %% Garbage by the gigabyte: 2,000 binaries of a megabyte each.
    io:format("~p~n", [churn(2000, 0)]),
    io:format("~p~n", [byte_size(term_to_binary(lists:duplicate(100, C)))]),
    ok.

append(Bin, 0) -> Bin;
append(Bin, N) -> append(<<Bin/binary, (N rem 251)>>, N - 1).

append_bits(Bin, 0) -> Bin;
append_bits(Bin, N) -> append_bits(<<Bin/bits, (N rem 2):1>>, N - 1).

keeper(Parent, Kept) ->
    receive
        {keep, Bin} -> keeper(Parent, [Bin | Kept]);
        total ->
            erlang:garbage_collect(),
            Parent ! {total, length(Kept), lists:sum([erlang:crc32(K) rem 1000 || K <- Kept])},
            keeper(Parent, Kept);
        back -> Parent ! {back, Kept}
    end.

churn(0, Acc) -> Acc;
churn(N, Acc) ->
    Bin = binary:copy(<<N:32>>, 262144),
    <<_:1000/binary, X:32, _/binary>> = Bin,
    churn(N - 1, Acc + X rem 7).
