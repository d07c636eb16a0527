%% tests/xen/xen_streams.erl — what the image writes comes back byte for
%% byte: every byte value on stdout (\r and \n in every combination among
%% them), a line on stderr between two stdout lines, then erlang:halt(3)
%% with the last line unfinished.
-module(xen_streams).
-export([main/0]).

main() ->
    io:put_chars("first line\n"),
    io:put_chars(standard_error, "a diagnostic line\n"),
    io:put_chars([lists:seq(1, 255), "\n"]),
    io:put_chars("\r\n\n\r\r\n"),
    io:put_chars("no newline at the end"),
    erlang:halt(3).
