%% runtime-erl/xbeam_logger.erl — the part of logger that OTP's own code
%% calls, standing in for kernel's logger (which needs ets, a logger
%% process and handlers).  emitter/bifs.ts sends logger:allow/2,
%% macro_log/3,4,5, log/2,3,4 and the primary level's get and set here.
%%
%% Events at or above the primary level (notice by default, as in erl) are
%% formatted the way the default handler's formatter lays them out, without
%% the time stamp, and written to stderr: stdout is the program's.
-module(xbeam_logger).
-export([allow/2, macro_log/3, macro_log/4, macro_log/5, log/2, log/3, log/4,
         set_primary_config/2, get_primary_config/0]).

-define(LEVEL_KEY, {?MODULE, level}).

allow(Level, _Module) ->
    rank(Level) =< rank(persistent_term:get(?LEVEL_KEY, notice)).

set_primary_config(level, Level) ->
    case lists:member(Level, [none, all, emergency, alert, critical, error,
                              warning, notice, info, debug]) of
        true -> persistent_term:put(?LEVEL_KEY, Level);
        false -> {error, {invalid_level, Level}}
    end;
set_primary_config(_Key, _Value) ->
    ok.

get_primary_config() ->
    #{level => persistent_term:get(?LEVEL_KEY, notice), filter_default => log, filters => []}.

macro_log(Location, Level, StringOrReport) ->
    emit(Level, StringOrReport, Location).

macro_log(Location, Level, StringOrReport, Meta) when is_map(Meta) ->
    emit(Level, StringOrReport, maps_merge(Location, Meta));
macro_log(Location, Level, Format, Args) ->
    emit(Level, {Format, Args}, Location).

macro_log(Location, Level, Format, Args, Meta) ->
    emit(Level, {Format, Args}, maps_merge(Location, Meta)).

log(Level, StringOrReport) ->
    emit(Level, StringOrReport, #{}).

log(Level, StringOrReport, Meta) when is_map(Meta) ->
    emit(Level, StringOrReport, Meta);
log(Level, Format, Args) ->
    emit(Level, {Format, Args}, #{}).

log(Level, Format, Args, Meta) ->
    emit(Level, {Format, Args}, Meta).

emit(Level, Msg, Meta) ->
    case allow(Level, undefined) of
        true ->
            Text = try text(Msg, Meta)
                   catch _:_ -> io_lib:format("~p", [Msg])
                   end,
            xbeam:error_write(["=", upper(atom_to_list(Level)), " REPORT==== ", $\n, Text, $\n, $\n]),
            ok;
        false ->
            ok
    end.

text({report, Report}, Meta) -> report(Report, Meta);
text({string, String}, _Meta) -> String;
text({Format, Args}, _Meta) when is_list(Args) -> io_lib:format(Format, Args);
text(Report, Meta) when is_map(Report); is_list(Report), Report =/= [], is_tuple(hd(Report)) ->
    report(Report, Meta);
text(String, _Meta) -> String.

%% A report goes through its report_cb when it has one, as the default
%% formatter does.
report(Report, #{report_cb := Cb}) when is_function(Cb, 1) ->
    case Cb(Report) of
        {Format, Args} -> io_lib:format(Format, Args);
        Other -> Other
    end;
report(Report, #{report_cb := Cb}) when is_function(Cb, 2) ->
    Cb(Report, #{depth => unlimited, chars_limit => unlimited, single_line => false});
report(Report, _Meta) when is_map(Report) ->
    [io_lib:format("    ~tp: ~tp~n", [K, V]) || {K, V} <- maps:to_list(Report)];
report(Report, _Meta) ->
    io_lib:format("~tp", [Report]).

upper(S) -> [if C >= $a, C =< $z -> C - 32; true -> C end || C <- S].

rank(none) -> -1;
rank(emergency) -> 0;
rank(alert) -> 1;
rank(critical) -> 2;
rank(error) -> 3;
rank(warning) -> 4;
rank(notice) -> 5;
rank(info) -> 6;
rank(debug) -> 7;
rank(all) -> 8.

maps_merge(A, B) when is_map(A), is_map(B) -> maps:merge(A, B);
maps_merge(_, B) -> B.
