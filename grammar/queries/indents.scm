; Indentation for Charl (Neovim-style captures).

[
  (block)
  (match_block)
  (token_tree)
  (parameters)
  (arguments)
  (array_expression)
  (array_repeat_expression)
  (tuple_expression)
  (parenthesized_expression)
  (shape)
] @indent.begin

; A closing bracket ends the indented region and is itself written at the outer level.
[
  "}"
  "]"
  ")"
] @indent.end

[
  "}"
  "]"
  ")"
] @indent.branch

; Multi-line strings keep their text as written (§2.4); block comments keep their own layout.
(string) @indent.ignore

(comment) @indent.auto
