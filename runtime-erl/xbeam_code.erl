%% runtime-erl/xbeam_code.erl — compile and code, for an image compiled
%% ahead of time.
%%
%% An image cannot compile or load code at run time.  What it can do is
%% answer for the modules it was built with: `xbeam test-suite` compiles a
%% suite's _data modules into the image, and compile:file/1,2 of such a
%% module's source "compiles" to the module already there (whatever the
%% options, from_asm included: the image holds the .erl's code), and
%% code:load_binary/3 and friends "load" it.  Any other module gives
%% compile's error and {error, nofile} / {error, not_purged}-style answers.
%% emitter/bifs.ts sends compile:file/1,2 and code:load_binary/3,
%% load_abs/1, load_file/1, ensure_loaded/1, is_loaded/1, delete/1,
%% purge/1, soft_purge/1, which/1, all_loaded/0 here.
-module(xbeam_code).
-export([compile_file/1, compile_file/2, load_binary/3, load_abs/1, load_file/1,
         ensure_loaded/1, is_loaded/1, delete/1, purge/1, soft_purge/1, which/1,
         all_loaded/0]).

compile_file(File) -> compile_file(File, [verbose, report_errors, report_warnings]).

compile_file(File, Opts) when is_list(Opts) ->
    Module = module_of(File),
    case erlang:module_loaded(Module) of
        true ->
            case lists:member(binary, Opts) of
                true -> {ok, Module, binary_of(Module)};
                false -> {ok, Module}
            end;
        false ->
            case lists:member(report_errors, Opts) orelse lists:member(report, Opts) of
                true -> io:format("~ts: xbeam: no such module in the image (no compiler at run time)~n", [name(File)]);
                false -> ok
            end,
            %% For the test runner (runtime-erl/suite/xbeam_ct.erl): a case
            %% that fails after this skips, as needing a compiler.
            put(xbeam_refused_compile, name(File)),
            error
    end;
compile_file(File, Opt) -> compile_file(File, [Opt]).

%% What a "compiled" binary holds: a marker load_binary/3 recognizes.
binary_of(Module) -> list_to_binary(["xbeam prebuilt:", atom_to_list(Module)]).

load_binary(Module, _File, Binary) when is_atom(Module), is_binary(Binary) ->
    case erlang:module_loaded(Module) of
        true -> {module, Module};
        false -> {error, badfile}
    end;
load_binary(Module, File, Binary) -> erlang:error(badarg, [Module, File, Binary]).

load_abs(File) ->
    Module = module_of(File),
    case erlang:module_loaded(Module) of
        true -> {module, Module};
        false -> {error, nofile}
    end.

load_file(Module) when is_atom(Module) ->
    case erlang:module_loaded(Module) of
        true -> {module, Module};
        false -> {error, nofile}
    end.

ensure_loaded(Module) -> load_file(Module).

is_loaded(Module) when is_atom(Module) ->
    case erlang:module_loaded(Module) of
        true -> {file, preloaded};
        false -> false
    end.

%% Code in an image stays; delete/1 answers as if the old code were gone.
delete(Module) when is_atom(Module) -> erlang:module_loaded(Module).
purge(Module) when is_atom(Module) -> false.
soft_purge(Module) when is_atom(Module) -> true.

which(Module) when is_atom(Module) ->
    case erlang:module_loaded(Module) of
        true -> preloaded;
        false -> non_existing
    end.

all_loaded() -> [].

name(File) when is_atom(File) -> atom_to_list(File);
name(File) when is_binary(File) -> binary_to_list(File);
name(File) -> lists:flatten(File).

module_of(File) ->
    Base = lists:last(string_split(name(File))),
    Stem = case lists:reverse(Base) of
               "lre." ++ Rest -> lists:reverse(Rest);
               "S." ++ Rest -> lists:reverse(Rest);
               "maeb." ++ Rest -> lists:reverse(Rest);
               _ -> Base
           end,
    list_to_atom(Stem).

string_split(Path) ->
    case lists:splitwith(fun(C) -> C =/= $/ end, Path) of
        {Part, []} -> [Part];
        {Part, [_ | Rest]} -> [Part | string_split(Rest)]
    end.
