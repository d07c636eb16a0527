%% A binary built of one whole binary and nothing else is that binary (the
%% same object, erts_debug:same/2), as in BEAM; a literal used twice is one
%% object.
-module(binary_identity).
-export([main/0]).
main() ->
    B = <<"123">>, W = <<(id(<<>>))/binary,0,1,2,3,4,5,6,7>>, Bits = <<1:3>>,
    io:format("~p~n", [[erts_debug:same(B, app(B, <<>>)), erts_debug:same(W, app(W, <<>>)), erts_debug:same(B, app(<<>>, B)),
                        app(B, <<"4">>), erts_debug:same(Bits, <<Bits/bitstring>>), <<(id(B)):2/binary>>, <<B/binary, 0:0>>]]).
app(A, B) -> <<A/binary, B/binary>>.
id(X) -> X.
