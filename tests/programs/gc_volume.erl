-module(gc_volume).
-export([main/0]).

%% Allocates some 320 MB in total (40 bytes an iteration), more than the
%% 256 MiB the image is given, while keeping a live set of a few thousand
%% terms: only a collector that reclaims memory gets to the end.
main() ->
    erlang:display(churn(8000000, [], 0)).

churn(0, Keep, Sum) -> {length(Keep), Sum};
churn(N, Keep, Sum) ->
    T = {N, [N, N + 1], {N}},
    Keep1 = case N rem 1000 of
                0 -> [T | lists_take(2000, Keep)];
                _ -> Keep
            end,
    churn(N - 1, Keep1, (Sum + element(1, T)) rem 1000000).

lists_take(0, _) -> [];
lists_take(_, []) -> [];
lists_take(N, [H | T]) -> [H | lists_take(N - 1, T)].
