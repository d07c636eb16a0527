%% runtime-erl/suite/memsup.erl — os_mon's memory supervisor, reporting
%% the memory the image's runtime manages; what processes do not hold is
%% available (freed blocks are reused, so the allocator's high-water mark
%% would understate it).
-module(memsup).
-export([get_system_memory_data/0, get_memory_data/0]).

bytes() -> xbeam:memory_kb() * 1024.

get_system_memory_data() ->
    Total = bytes(),
    Used = erlang:memory(processes),
    [{total_memory, Total}, {free_memory, Total - Used},
     {available_memory, Total - Used}, {system_total_memory, Total}].

get_memory_data() ->
    {bytes(), erlang:memory(processes), undefined}.
