%% bench/boot/boot_hello.erl — the boot benchmark's Erlang program.  Its
%% first line is its first output; its second says, as the image measured
%% it from its entry point (the TSC read at _start): when the runtime
%% started (the platform's part, which the floor image has too), when this
%% function began, and when the first line went out.
-module(boot_hello).
-export([main/0]).

main() ->
    SinceEntry = xbeam:since_entry(microsecond),
    SinceRuntime = erlang:monotonic_time(microsecond),  % 0 at the runtime's start
    io:put_chars("hello from Erlang\n"),
    First = xbeam:first_output(microsecond),
    io:format("runtime ~w us, Erlang ~w us, first output ~w us after entry~n",
              [SinceEntry - SinceRuntime, SinceEntry, First]).
