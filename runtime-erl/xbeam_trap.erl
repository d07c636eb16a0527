%% runtime-erl/xbeam_trap.erl — list_to_binary/1, iolist_to_binary/1,
%% binary:list_to_bin/1 and list_to_bitstring/1.
%%
%% runtime-asm/binary.asm converts an iolist in one go (xbeam:iolist_to_bin/2).
%% A long one (64 KiB or more walked, or too long for a binary) is walked
%% here first, one element per call of continue/1: the scheduler may
%% switch the process out at any of those calls, as BEAM's C code yields
%% midway (it traps to erts_internal:list_to_binary_continue/1, which is
%% what continue/1 shows as in running traces), and an error found after
%% that is raised then, with the BIF's frame on top as BEAM has it.  A
%% valid one is then converted in one go.
-module(xbeam_trap).
-export([list_to_binary/1, iolist_to_binary/1, list_to_bin/1, list_to_bitstring/1]).
-xbeam_shown_as([{continue, 1, {erts_internal, list_to_binary_continue, 1}}]).

%% The largest binary, in bytes (runtime-asm/binary.asm's MAX_BINARY_BYTES).
-define(MAX_BYTES, (1 bsl 29) - 1).

list_to_binary(L) when is_list(L) -> convert(L, binary);
list_to_binary(L) -> erlang:error(badarg, [L]).

list_to_bin(L) when is_list(L) -> convert(L, binary);
list_to_bin(L) -> erlang:error(badarg, [L]).

iolist_to_binary(B) when is_binary(B) -> convert(B, binary);
iolist_to_binary(L) when is_list(L) -> convert(L, binary);
iolist_to_binary(L) -> erlang:error(badarg, [L]).

list_to_bitstring(L) when is_list(L) -> convert(L, bitstring);
list_to_bitstring(L) -> erlang:error(badarg, [L]).

convert(L, Kind) ->
    case xbeam:iolist_to_bin(L, false) of
        B when is_binary(B) -> B;
        long -> continue({Kind, L, [L], 0, false});
        badarg when Kind =:= bitstring -> xbeam_bifs:list_to_bitstring(L);
        Reason -> erlang:error(Reason, [L])
    end.

%% continue({Kind, IoList, Stack, Bytes, Bits}): Stack holds what is left
%% to walk (lists and their tails, innermost first), Bytes counts what was
%% walked, Bits is true once a bitstring that is not a binary was seen
%% (list_to_bitstring/1 only).
continue({_, L, _, N, _}) when N > ?MAX_BYTES ->
    erlang:error(system_limit, [L]);
continue({K, L, [], _, Bits}) ->
    finish(K, L, Bits);
continue({K, L, [[] | S], N, Bits}) ->
    continue({K, L, S, N, Bits});
continue({K, L, [[H | T] | S], N, Bits}) when is_integer(H), H >= 0, H =< 255 ->
    continue({K, L, [T | S], N + 1, Bits});
continue({K, L, [[H | T] | S], N, Bits}) when is_binary(H) ->
    continue({K, L, [T | S], N + byte_size(H), Bits});
continue({K, L, [[H | T] | S], N, Bits}) when is_list(H) ->
    continue({K, L, [H, T | S], N, Bits});
continue({bitstring, L, [[H | T] | S], N, _}) when is_bitstring(H) ->
    continue({bitstring, L, [T | S], N + byte_size(H), true});
continue({K, L, [B | S], N, Bits}) when is_binary(B) ->
    continue({K, L, S, N + byte_size(B), Bits});
continue({bitstring, L, [B | S], N, _}) when is_bitstring(B) ->
    continue({bitstring, L, S, N + byte_size(B), true});
continue({_, L, _, _, _}) ->
    erlang:error(badarg, [L]).

finish(bitstring, L, true) -> xbeam_bifs:list_to_bitstring(L);
finish(_, L, _) ->
    case xbeam:iolist_to_bin(L, true) of
        B when is_binary(B) -> B;
        Reason -> erlang:error(Reason, [L])
    end.
