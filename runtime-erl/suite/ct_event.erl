%% runtime-erl/suite/ct_event.erl — common_test's event manager, for
%% xbeam_ct: events (benchmark figures) are dropped.
-module(ct_event).
-export([notify/1, sync_notify/1]).

notify(_Event) -> ok.
sync_notify(_Event) -> ok.
