%% erlang:display/1 of floats: C's "%.6e", correctly rounded (ties to
%% even on the exact value), inside terms too.
-module(floats_display).
-export([main/0]).

id(X) -> X.

main() ->
    [erlang:display(id(F)) || F <- [1.5, -0.0, 0.0, 1.0e20, 0.1, 2.5e-7, 1.0e-300, 5.0e-324, 2.2250738585072014e-308,
                                   1.7976931348623157e308, 9999995.0, 9999994.999999999, 1.0000005, 1.0000015, 0.5, 123456789.0, -3.25e100]],
    erlang:display({id(1.0), [id(2.5)], #{id(a) => id(-0.125)}}),
    erlang:display(id(1.0) + id(2) / id(3)),
    ok.
