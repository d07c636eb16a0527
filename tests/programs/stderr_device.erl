%% tests/programs/stderr_device.erl — standard_error is a registered io
%% server, as under erl: io:format/put_chars to it work (its bytes go to
%% stderr, which the comparison leaves out) and stdout is untouched.
-module(stderr_device).
-export([main/0]).

main() ->
    io:format("registered: ~w~n", [is_pid(whereis(standard_error))]),
    ok = io:format(standard_error, "to stderr: ~p~n", [{a, 1}]),
    ok = io:put_chars(standard_error, <<"bytes to stderr\n">>),
    io:format("after: ~w~n", [ok]).
