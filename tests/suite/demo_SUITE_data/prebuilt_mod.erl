-module(prebuilt_mod).
-export([prebuilt_mod/0]).
prebuilt_mod() -> prebuilt_answer.
