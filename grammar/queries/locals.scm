; Scopes and definitions for Charl (LANGUAGE.md §5.6, §5.7).
;
; Only function calls, `for` loops and match arms open scopes: a `let` inside an `if` or `while`
; body writes to the enclosing scope, so `block` is deliberately not a scope.
; Function names are not captured: a `fn` binds its name in the enclosing scope, which a capture
; inside the function's own scope would get wrong (tags.scm lists functions).

; ─── Scopes ────────────────────────────────────────────────────────────────────

(source_file) @local.scope

(function_definition) @local.scope

(for_statement) @local.scope

(match_arm) @local.scope

; ─── Definitions ───────────────────────────────────────────────────────────────

(let_statement
  name: (identifier) @local.definition)

(parameter
  name: (identifier) @local.definition)

(for_statement
  name: (identifier) @local.definition)

(match_arm
  pattern: (identifier) @local.definition)

; ─── References ────────────────────────────────────────────────────────────────

(identifier) @local.reference
