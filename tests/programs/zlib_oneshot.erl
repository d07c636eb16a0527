%% The zlib module's one-shot functions (BEAM's are NIFs; xbeam's are
%% runtime-erl/xbeam_zlib.erl): compress, zip and gzip give zlib's bytes, for
%% iodata of every shape, and uncompress, unzip and gunzip read them back;
%% bad data is data_error, bad arguments badarg.
-module(zlib_oneshot).
-export([main/0]).
main() ->
    Inputs = [<<>>, <<"hello hello hello">>, ["abc", [$d | <<"ef">>]], lists:duplicate(1000, $a),
              binary:copy(<<"0123456789abcdef">>, 3000),
              list_to_binary([(I * I) rem 251 || I <- lists:seq(1, 70000)])],
    [begin
         B = iolist_to_binary(D),
         C = zlib:compress(D), Z = zlib:zip(D), G = zlib:gzip(D),
         io:format("~p ~p ~p ~p~n", [byte_size(B), erlang:md5(C), erlang:md5(Z), erlang:md5(G)]),
         B = zlib:uncompress(C), B = zlib:unzip(Z), B = zlib:gunzip(G)
     end || D <- Inputs],
    io:format("~w~n", [zlib:gzip(<<"hello hello hello">>)]),
    [io:format("~p~n", [reason(catch F(X))]) || F <- [fun zlib:uncompress/1, fun zlib:unzip/1, fun zlib:gunzip/1, fun zlib:compress/1],
                                        X <- [<<1,2,3>>, <<255>>, bad]] ,
    ok.

reason({'EXIT', {R, _}}) -> R;
reason(B) when is_binary(B) -> {ok, byte_size(B)}.
