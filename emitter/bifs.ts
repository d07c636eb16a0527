// emitter/bifs.ts — which BIFs the runtime implements, and under what symbol.
//
// In: nothing.  Out: two tables, as data.  GUARD_BIFS are called by the
// bif/gc_bif instructions with the guard-BIF contract (runtime-asm/bifs.asm);
// FUNCTION_BIFS are called like Erlang functions by call_ext.  A call the
// tables do not list goes to the module if the image has it, else raises
// undef at run time, as BEAM does.

export const GUARD_BIFS: Readonly<Record<string, string>> = {
  "+/2": "xb_bif_plus_2",
  "-/2": "xb_bif_minus_2",
  "*/2": "xb_bif_times_2",
  "div/2": "xb_bif_div_2",
  "rem/2": "xb_bif_rem_2",
  "band/2": "xb_bif_band_2",
  "bor/2": "xb_bif_bor_2",
  "bxor/2": "xb_bif_bxor_2",
  "bsl/2": "xb_bif_bsl_2",
  "bsr/2": "xb_bif_bsr_2",
  "bnot/1": "xb_bif_bnot_1",
  "-/1": "xb_bif_minus_1",
  "abs/1": "xb_bif_abs_1",
  "length/1": "xb_bif_length_1",
  "hd/1": "xb_bif_hd_1",
  "tl/1": "xb_bif_tl_1",
  "element/2": "xb_bif_element_2",
  "tuple_size/1": "xb_bif_tuple_5f_size_1",
  "</2": "xb_bif__3c__2",
  ">/2": "xb_bif__3e__2",
  "=</2": "xb_bif__3d__3c__2",
  ">=/2": "xb_bif__3e__3d__2",
  "==/2": "xb_bif__3d__3d__2",
  "/=/2": "xb_bif__2f__3d__2",
  "=:=/2": "xb_bif__3d__3a__3d__2",
  "=/=/2": "xb_bif__3d__2f__3d__2",
  "not/1": "xb_bif_not_1",
  "and/2": "xb_bif_and_2",
  "or/2": "xb_bif_or_2",
  "xor/2": "xb_bif_xor_2",
  "is_integer/1": "xb_bif_is_5f_integer_1",
  "is_atom/1": "xb_bif_is_5f_atom_1",
  "is_list/1": "xb_bif_is_5f_list_1",
  "is_tuple/1": "xb_bif_is_5f_tuple_1",
  "is_function/1": "xb_bif_is_5f_function_1",
  "is_boolean/1": "xb_bif_is_5f_boolean_1",
  "is_pid/1": "xb_bif_is_5f_pid_1",
  "is_number/1": "xb_bif_is_5f_number_1",
};

/** The symbol of the function-convention wrapper the loader makes for a guard BIF. */
export const guardWrapper = (symbol: string): string => `GW.${symbol}`;

export const FUNCTION_BIFS: Readonly<Record<string, string>> = {
  "erlang:display/1": "xb_erl_display_1",
  "erlang:halt/0": "xb_erl_halt_0",
  "erlang:halt/1": "xb_erl_halt_1",
  "erlang:++/2": "xb_erl_append_2",
  "erlang:monotonic_time/1": "xb_erl_monotonic_time_1",
  "erlang:throw/1": "xb_erl_throw_1",
  "erlang:error/1": "xb_erl_error_1",
  "erlang:error/2": "xb_erl_error_2",
  "erlang:exit/1": "xb_erl_exit_1",
  "erlang:raise/3": "xb_erl_raise_3",
  "erlang:apply/2": "xb_erl_apply_2",
  "erlang:apply/3": "xb_erl_apply_3",
  "erlang:integer_to_list/1": "xb_erl_integer_to_list_1",
  "erlang:integer_to_list/2": "xb_erl_integer_to_list_2",
  "erlang:list_to_integer/1": "xb_erl_list_to_integer_1",
  "erlang:list_to_integer/2": "xb_erl_list_to_integer_2",
  "erlang:atom_to_list/1": "xb_erl_atom_to_list_1",
  "erlang:list_to_atom/1": "xb_erl_list_to_atom_1",
  "erlang:list_to_existing_atom/1": "xb_erl_list_to_existing_atom_1",
  "erlang:tuple_to_list/1": "xb_erl_tuple_to_list_1",
  "erlang:list_to_tuple/1": "xb_erl_list_to_tuple_1",
  "erlang:setelement/3": "xb_erl_setelement_3",
  "erlang:make_tuple/2": "xb_erl_make_tuple_2",
  // In BEAM these are C; lists.beam only has NIF stubs for them.  The
  // loader also points the stubs' own entries here, for local calls.
  "lists:reverse/2": "xb_lists_reverse_2",
  "lists:member/2": "xb_lists_member_2",
  "lists:keyfind/3": "xb_lists_keyfind_3",
  "lists:keymember/3": "xb_lists_keymember_3",
  "lists:keysearch/3": "xb_lists_keysearch_3",
};
