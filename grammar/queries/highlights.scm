; Syntax highlighting for Charl (LANGUAGE.md §2–§3, §9).
;
; When several patterns capture the same node, the LAST one wins (tree-sitter 0.22 `highlight`,
; Neovim), so general patterns come first and specific ones after them.
; Builtin functions are highlighted as ordinary calls: the list of builtins lives in one place
; (the analysis), not here.

; ─── Identifiers ───────────────────────────────────────────────────────────────

(identifier) @variable

(parameter
  name: (identifier) @variable.parameter)

; Dimension variables (`N` in `tensor<float32, [N, 784]>`, §9.5) and unknown cast targets (`as Foo`).
(dimension
  (identifier) @type)

(cast_expression
  type: (identifier) @type)

(function_definition
  name: (identifier) @function)

(call_expression
  function: (identifier) @function.call)

(model_definition
  name: (identifier) @type)

; ─── Literals ──────────────────────────────────────────────────────────────────

(integer) @number

(float) @number.float

(string) @string

(boolean) @boolean

(comment) @comment

; `t.0`: the index names a field of the tuple.
(tuple_index_expression
  field: (integer) @property)

; ─── Types ─────────────────────────────────────────────────────────────────────

(primitive_type) @type.builtin

(tensor_type
  "tensor" @type.builtin)

; ─── Keywords ──────────────────────────────────────────────────────────────────

[
  "let"
  "model"
] @keyword

"fn" @keyword.function

"return" @keyword.return

[
  "if"
  "else"
  "match"
] @keyword.conditional

[
  "while"
  "for"
  "in"
  "break"
  "continue"
] @keyword.repeat

[
  "as"
  "and"
  "or"
  "not"
] @keyword.operator

; `autograd(expr)` is a special form (§3.3), spelled like a builtin call.
"autograd" @function.builtin

; ─── Operators and punctuation ─────────────────────────────────────────────────

[
  "+"
  "-"
  "*"
  "/"
  "%"
  "@"
  "="
  "=="
  "!="
  "<="
  ">="
  "&&"
  "||"
  "!"
  ".."
  "..="
] @operator

; `<` and `>` are comparisons in expressions and brackets in `tensor<…>`.
(binary_expression
  operator: [
    "<"
    ">"
  ] @operator)

(tensor_type
  [
    "<"
    ">"
  ] @punctuation.bracket)

[
  "("
  ")"
  "["
  "]"
  "{"
  "}"
] @punctuation.bracket

[
  ","
  ";"
  ":"
  "."
  "->"
  "=>"
] @punctuation.delimiter
