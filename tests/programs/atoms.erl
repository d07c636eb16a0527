-module(atoms).
-export([main/0]).

main() ->
    %% Atoms of the image, found by their text.
    erlang:display([list_to_atom(S) || S <- ["ok", "main", "Hello World"]] =:= [ok, main, 'Hello World']),
    erlang:display(list_to_existing_atom("atoms")),
    %% Atoms made at run time: equal to themselves, printed and ordered by text.
    New = [list_to_atom(S) || S <- ["brand_new", "Brand New", "it's", "back\\slash", "", "ÿes", "α", "new\nline", "x@y", "if"]],
    erlang:display(New),
    erlang:display(lists_sort(New)),
    erlang:display([atom_to_list(A) || A <- New]),
    erlang:display(list_to_atom("brand_new") =:= hd(New)),
    erlang:display(list_to_existing_atom("brand_new")),
    erlang:display(reason(catch list_to_existing_atom("never seen before"))),
    erlang:display(reason(catch list_to_atom([a | id(b)]))),
    erlang:display(reason(catch list_to_atom(lists_dup(256, $a)))),
    Many = [list_to_atom("a" ++ integer_to_list(N)) || N <- seq(1, 2000)],
    erlang:display(length(Many)),
    erlang:display(lists_nth(1500, Many) =:= list_to_atom("a1500")).

reason({'EXIT', {R, _}}) -> R.

id(X) -> X.

lists_sort([]) -> [];
lists_sort([P | T]) -> lists_sort([X || X <- T, X < P]) ++ [P] ++ lists_sort([X || X <- T, X >= P]).

lists_dup(0, _) -> [];
lists_dup(N, X) -> [X | lists_dup(N - 1, X)].

lists_nth(1, [H | _]) -> H;
lists_nth(N, [_ | T]) -> lists_nth(N - 1, T).

seq(A, B) when A > B -> [];
seq(A, B) -> [A | seq(A + 1, B)].
