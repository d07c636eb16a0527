-module(hello).
-export([main/0]).

%% erlang:display/1 until io:format arrives with processes and OTP's io
%% modules compiled into the image.
main() ->
    erlang:display('Hello, world!').
