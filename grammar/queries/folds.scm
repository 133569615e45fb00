; Foldable regions for Charl.

[
  (block)
  (match_block)
  (token_tree)
  (parameters)
  (arguments)
  (array_expression)
  (tuple_expression)
  (comment)
] @fold
