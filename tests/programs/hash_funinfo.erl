-module(hash_funinfo).
-export([main/0, add/2]).
-compile({nowarn_deprecated_function, [{erlang, phash, 2}]}).

%% phash/2 and phash2/1,2 of many kinds of terms; fun_info items that do
%% not depend on the VM (not pid, not refc); pids, ports and references
%% read back from text.  Nothing printed here names a pid or a reference
%% that the VM made itself.

main() ->
    hashes(),
    ranges(),
    funs(),
    idents(),
    ok.

add(X, Y) -> X + Y.

id(X) -> X.

terms() ->
    [0, 1, -1, 7, 255, 256, -256, 1 bsl 27 - 1, 1 bsl 27, -(1 bsl 27), -(1 bsl 27) - 1,
     1 bsl 31, 1 bsl 32 - 1, 1 bsl 32, 1 bsl 40, -(1 bsl 40), 1 bsl 63, 1 bsl 64,
     1 bsl 100 + 7, -(1 bsl 200), 123456789012345678901234567890,
     a, b, '', true, 'hello world', 'with space', 'åäö', '\x{400}x',
     [], {}, {a}, {1, 2, 3}, {{}, [], <<>>},
     <<>>, <<1>>, <<1, 2, 3>>, <<"twelve bytes">>, <<"thirteen byte">>,
     list_to_binary(lists:seq(0, 255)), <<1:3>>, <<1, 2, 3, 4:5>>, <<0:1>>, <<255:7>>,
     1.0, 0.0, -0.0, 3.14159, -1.5e300, 1.0e-300, 2.0e9,
     "abc", "a", "abcd", "abcde", [a | b], [1, 2 | 3], [300, 1, 2], lists:seq(1, 40),
     [a, "bc", {d}], [[]], [1 | []], [-1, 256, 1.5], ["nested", ["deep", [er]]],
     #{}, #{a => 1}, #{a => 1, b => {2}, "k" => [v]}, #{1 => #{2 => #{}}},
     maps:from_list([{I, I * I} || I <- lists:seq(1, 40)]),
     {#{x => #{y => z}}, [#{}]},
     list_to_pid("<0.5.0>"), list_to_pid("<0.32767.8191>"), list_to_pid("<0.0.1>"),
     list_to_ref("#Ref<0.1.2.3>"), list_to_ref("#Ref<0.4294967295.65536.262143>"),
     list_to_port("#Port<0.5>"), list_to_port("#Port<0.268435455>"),
     fun lists:map/2, fun ?MODULE:add/2, fun erlang:abs/1, fun blurf:exit/2].

hashes() ->
    lists:foreach(
      fun(T) ->
              io:format("~w ~w ~w ~w ~w ~w~n",
                        [erlang:phash2(T), erlang:phash2(T, 1000), erlang:phash2(T, 1 bsl 32),
                         erlang:phash(T, 1 bsl 32), erlang:phash(T, 7), erlang:phash(T, 1 bsl 27)])
      end, terms()),
    %% Larger terms: a sub-binary, a long list, a deep tuple.
    <<_:3, Sub:61/bitstring, _/binary>> = list_to_binary(lists:seq(1, 100)),
    Big = [{I, integer_to_list(I), <<I:16>>} || I <- lists:seq(1, 300)],
    io:format("~w ~w ~w~n", [erlang:phash2(Sub), erlang:phash2(Big), erlang:phash(Big, 1 bsl 32)]),
    io:format("~w~n", [erlang:phash2(lists:foldl(fun(I, A) -> {A, I} end, [], lists:seq(1, 200)))]).

ranges() ->
    Bad = [0, -1, 1 bsl 32 + 1, a, 1.0, 1 bsl 64],
    lists:foreach(
      fun(R) ->
              io:format("~w ~w ~w~n", [R, catching(fun() -> erlang:phash2(x, R) end),
                                       catching(fun() -> erlang:phash(x, R) end)])
      end, [1, 2, 1 bsl 32 | Bad]).

funs() ->
    K = id(10),
    L = id([a, b]),
    Local = fun(X) -> X + K end,
    Two = fun(X, Y) -> {X, Y, K, L} end,
    None = fun() -> ok end,
    Named = fun add/2,
    Ext = fun ?MODULE:add/2,
    Stable = [type, module, name, arity, env, index, uniq, new_index, new_uniq],
    lists:foreach(
      fun(F) ->
              io:format("~w~n", [[erlang:fun_info(F, I) || I <- Stable]]),
              io:format("~w~n", [[P || {Key, _} = P <- erlang:fun_info(F), Key =/= pid]]),
              io:format("~w ~w~n", [erlang:fun_info_mfa(F), catching(fun() -> erlang:fun_info(F, blurf) end)]),
              io:format("~w ~w~n", [erlang:phash2(F), erlang:phash(F, 1 bsl 32)])
      end, [Local, Two, None, Named, Ext, fun lists:map/2, fun erlang:abs/1]),
    io:format("~w ~w~n", [erlang:fun_info(Ext, pid), erlang:fun_info(Ext, refc)]),
    {pid, Creator} = erlang:fun_info(Local, pid),
    io:format("~w~n", [is_pid(Creator)]),
    io:format("~w~n", [[erlang:phash2(make_adder(N)) || N <- [1, 2, 1]]]),
    lists:foreach(
      fun(T) ->
              io:format("~w ~w~n", [catching(fun() -> erlang:fun_info(T, module) end),
                                    catching(fun() -> erlang:fun_info_mfa(T) end)])
      end, [abc, 42, {fun erlang:list_to_integer/1}, [42], [], <<>>, <<1, 2>>]),
    io:format("~w~n", [catching(fun() -> erlang:fun_info(abc) end)]).

make_adder(N) -> fun(X) -> X + N end.

idents() ->
    Me = self(),
    io:format("~w~n", [Me =:= list_to_pid(pid_to_list(Me))]),
    Ref = make_ref(),
    io:format("~w~n", [Ref =:= list_to_ref(ref_to_list(Ref))]),
    Pid = spawn(fun() -> ok end),
    io:format("~w~n", [Pid =:= list_to_pid(pid_to_list(Pid))]),
    lists:foreach(
      fun(S) -> io:format("~w~n", [catching(fun() -> pid_to_list(list_to_pid(S)) end)]) end,
      ["<0.1.2>", "<0.32767.0>", "<0.32768.0>", "<0.0.8191>", "<0.0.8192>", "<0.01.02>",
       "<0.1.2", "<0.1>", "<0.1.2>x", "<1.1.2>", "<0..2>", "", x, [$< | x], [$<, 300]]),
    lists:foreach(
      fun(S) -> io:format("~w~n", [catching(fun() -> ref_to_list(list_to_ref(S)) end)]) end,
      ["#Ref<0.1.2.3>", "#Ref<0.1.2.262144>", "#Ref<0.1.2.262143>", "#Ref<0.4294967295.0.3>",
       "#Ref<0.4294967296.0.3>", "#Ref<0.0.1.2.3>", "#Ref<0.2.3>", "#Ref<0.0.65536.0>",
       "#Ref<1.1.2.3>", "#Ref<0.1.2.3", "#Ref0.1.2.3>", ref]),
    lists:foreach(
      fun(S) -> io:format("~w~n", [catching(fun() -> port_to_list(list_to_port(S)) end)]) end,
      ["#Port<0.5>", "#Port<0.268435455>", "#Port<0.268435456>", "#Port<0.0>", "#Port<00.5>",
       "#Port<0.5> ", "#Port<0.>", "#Port<1.5>", port]),
    P = list_to_port("#Port<0.42>"),
    io:format("~w ~w ~w~n", [is_port(P), P =:= list_to_port("#Port<0.42>"), P < list_to_port("#Port<0.43>")]),
    io:format("~w ~w ~w~n", [catching(fun() -> pid_to_list(a) end), catching(fun() -> ref_to_list(a) end),
                             catching(fun() -> port_to_list(self()) end)]),
    io:format("~p~n", [[list_to_pid("<0.7.3>"), list_to_ref("#Ref<0.3.2.1>"), list_to_port("#Port<0.9>")]]).

catching(F) ->
    try F() of
        V -> {ok, V}
    catch
        C:R -> {C, R}
    end.
