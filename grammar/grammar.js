/**
 * @file tree-sitter-charl: the grammar of the Charl language.
 *
 * Reads top-down: the precedence table (LANGUAGE.md §3.4), statements (§3.1–§3.2, §9.1), expressions
 * (§3.3, §9.3–§9.4), types (§3.5, §9.5), patterns (§3.6), lexical rules (§2), helpers.
 *
 * Statements are newline-insensitive (§2.6): newlines are whitespace and an expression keeps consuming
 * infix and postfix operators as long as it can. In LR terms every shift/reduce conflict between
 * "end the statement here" and "continue the expression" is resolved towards continuing, because
 * statements have precedence 0 and every operator a higher one.
 *
 * Reserved words (§2.2) are checked after parsing (charl_core/syntax/validate.py): tree-sitter 0.22
 * treats keywords contextually, and one precise diagnostic ("`relu` is a reserved word") is more
 * useful to a user than the cascade of ERROR nodes a hard keyword would produce.
 */

const PREC = {
  // LANGUAGE.md §3.4: higher binds tighter; all binary operators are left-associative.
  logical: 1, // and or && ||  (one shared level)
  range: 2, // .. ..=
  cast: 3, // as T (postfix)
  equals: 4, // == !=
  compare: 5, // < <= > >=
  sum: 6, // + -
  product: 7, // * / %
  matmul: 8, // @
  prefix: 9, // - ! not
  call: 10, // f(…)
  index: 11, // a[i], t.0
};

const BINARY_OPERATORS = [
  [PREC.logical, choice('and', 'or', '&&', '||')],
  [PREC.equals, choice('==', '!=')],
  [PREC.compare, choice('<', '<=', '>', '>=')],
  [PREC.sum, choice('+', '-')],
  [PREC.product, choice('*', '/', '%')],
  [PREC.matmul, '@'],
];

// Scalar type names usable in annotations (§3.5, §9.5: `int` and `float` alias int64/float64).
const PRIMITIVE_TYPES = ['int32', 'int64', 'float32', 'float64', 'bool', 'string', 'concept', 'int', 'float'];

// Cast targets (§3.3, §5.10): the numeric and bool types, plus any identifier (a run-time error).
const CAST_TYPES = ['int32', 'int64', 'float32', 'float64', 'bool', 'int', 'float'];

module.exports = grammar({
  name: 'charl',

  word: $ => $.identifier,

  // §2.1: whitespace is Unicode White_Space (tree-sitter's `\s` is ASCII only); U+001C–U+001F are not.
  extras: $ => [/[\t\n\x0B\f\r \u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]/, $.comment],

  // src/scanner.c: a zero-width token that closes each block still open at the end of the file (§3.2).
  externals: $ => [$.end_of_file_close, $._error_recovery],

  supertypes: $ => [$._statement, $._expression, $._type, $._pattern],

  rules: {
    source_file: $ => seq(repeat($._statement), optional(alias($._bare_return, $.return_statement))),

    // ───────────────────────────── statements (§3.1, §3.2, §9.1) ─────────────────────────────

    _statement: $ => choice(
      $.let_statement,
      $.assignment_statement,
      $.expression_statement,
      $.function_definition,
      $.if_statement,
      $.while_statement,
      $.for_statement,
      $.return_statement,
      $.break_statement,
      $.continue_statement,
      $.model_definition,
    ),

    let_statement: $ => seq(
      'let',
      field('name', $.identifier),
      optional(seq(':', field('type', $._type))),
      '=',
      field('value', $._expression),
      optional(';'),
    ),

    // §3.2: any expression may be a target syntactically; only `x` and `x[i]…` are valid at run time.
    assignment_statement: $ => seq(
      field('left', $._expression),
      '=',
      field('right', $._expression),
      optional(';'),
    ),

    expression_statement: $ => seq($._expression, optional(';')),

    function_definition: $ => seq(
      'fn',
      field('name', $.identifier),
      field('parameters', $.parameters),
      optional(seq('->', field('return_type', $._type))),
      field('body', $.block),
    ),

    parameters: $ => seq('(', optional(commaSep1($.parameter)), ')'),

    parameter: $ => seq(field('name', $.identifier), ':', field('type', $._type)),

    // At the start of a statement `if` begins the statement form (§3.2): a complete `if … else …`
    // followed by a token that may start a statement ends here (prec 1 beats if_expression's 0).
    if_statement: $ => prec(1, seq(
      'if',
      field('condition', $._expression),
      field('consequence', $.block),
      optional(seq('else', field('alternative', choice($.block, $.if_statement)))),
    )),

    while_statement: $ => seq('while', field('condition', $._expression), field('body', $.block)),

    // `in` is recognised by spelling only here (§2.2); elsewhere it is an ordinary identifier.
    for_statement: $ => seq(
      'for',
      field('name', $.identifier),
      'in',
      field('iterable', $._expression),
      field('body', $.block),
    ),

    return_statement: $ => choice(
      seq('return', field('value', $._expression), optional(';')),
      seq('return', ';'),
    ),

    // §3.2/§9.1: a bare `return` is allowed directly before `}` (or the end of the file).
    _bare_return: $ => 'return',

    break_statement: $ => seq('break', optional(';')),

    continue_statement: $ => seq('continue', optional(';')),

    // A block still open at the end of the file is closed by it (§3.2; the analysis warns W215).
    block: $ => seq(
      '{',
      repeat($._statement),
      optional(alias($._bare_return, $.return_statement)),
      choice('}', $.end_of_file_close),
    ),

    // §9.6: not supported yet. Parsed as one balanced token tree so that the analysis reports a
    // single clear error instead of a cascade of syntax errors.
    model_definition: $ => seq('model', field('name', $.identifier), field('body', $.token_tree)),

    token_tree: $ => seq('{', repeat(choice($.token_tree, $._token_tree_atom)), '}'),

    _token_tree_atom: $ => choice($.identifier, $.integer, $.float, $.string, /[^{}\s\w"\/]+|\//),

    // ───────────────────────────── expressions (§3.3, §3.4, §9.3, §9.4) ─────────────────────────────

    _expression: $ => choice(
      $.binary_expression,
      $.unary_expression,
      $.cast_expression,
      $.range_expression,
      $.call_expression,
      $.index_expression,
      $.tuple_index_expression,
      $.parenthesized_expression,
      $.tuple_expression,
      $.array_expression,
      $.array_repeat_expression,
      $.if_expression,
      $.match_expression,
      $.autograd_expression,
      $.identifier,
      alias('tensor', $.identifier), // `tensor(…)` is an ordinary builtin call (§2.2)
      $.integer,
      $.float,
      $.string,
      $.boolean,
    ),

    binary_expression: $ => choice(...BINARY_OPERATORS.map(([precedence, operator]) =>
      prec.left(precedence, seq(
        field('left', $._expression),
        field('operator', operator),
        field('right', $._expression),
      )),
    )),

    unary_expression: $ => prec(PREC.prefix, seq(
      field('operator', choice('-', '!', 'not')),
      field('operand', $._expression),
    )),

    cast_expression: $ => prec.left(PREC.cast, seq(
      field('value', $._expression),
      'as',
      field('type', choice(alias(choice(...CAST_TYPES), $.primitive_type), $.identifier)),
    )),

    range_expression: $ => prec.left(PREC.range, seq(
      field('start', $._expression),
      field('operator', choice('..', '..=')),
      field('end', $._expression),
    )),

    call_expression: $ => prec(PREC.call, seq(
      field('function', $._expression),
      field('arguments', $.arguments),
    )),

    arguments: $ => seq('(', optional(commaSep1($._expression)), ')'),

    index_expression: $ => prec(PREC.index, seq(
      field('value', $._expression),
      '[',
      field('index', $._expression),
      ']',
    )),

    tuple_index_expression: $ => prec(PREC.index, seq(
      field('value', $._expression),
      '.',
      field('field', $.integer),
    )),

    parenthesized_expression: $ => seq('(', $._expression, ')'),

    // `()`, `(a,)`, `(a, b)`, `(a, b,)`: a trailing comma is allowed in tuples only.
    tuple_expression: $ => choice(
      seq('(', ')'),
      seq('(', $._expression, ',', optional(seq(commaSep1($._expression), optional(','))), ')'),
    ),

    // No trailing comma in arrays (§3.3).
    array_expression: $ => seq('[', optional(commaSep1($._expression)), ']'),

    array_repeat_expression: $ => seq(
      '[',
      field('value', $._expression),
      ';',
      field('count', $._expression),
      ']',
    ),

    // The expression form requires `else` (§3.2); `else if` chains end in a plain else (§9.1).
    if_expression: $ => seq(
      'if',
      field('condition', $._expression),
      field('consequence', $.block),
      'else',
      field('alternative', choice($.block, $.if_expression)),
    ),

    match_expression: $ => seq('match', field('value', $._expression), field('body', $.match_block)),

    // At least one arm; arms separated by commas or nothing; a trailing comma is allowed.
    match_block: $ => seq(
      '{',
      $.match_arm,
      repeat(seq(optional(','), $.match_arm)),
      optional(','),
      '}',
    ),

    match_arm: $ => seq(field('pattern', $._pattern), '=>', field('value', $._expression)),

    // A special form with exactly one argument (§3.3, §8.7), not a builtin call.
    autograd_expression: $ => seq('autograd', '(', field('argument', $._expression), ')'),

    // ───────────────────────────── types (§3.5, §9.5) ─────────────────────────────

    _type: $ => choice($.primitive_type, $.array_type, $.tensor_type, $.tuple_type),

    primitive_type: $ => choice(...PRIMITIVE_TYPES),

    array_type: $ => seq(
      '[',
      field('element', $._type),
      optional(seq(';', field('length', $.integer))),
      ']',
    ),

    // Bare `tensor` is any dtype and shape (§9.5).
    tensor_type: $ => seq(
      'tensor',
      optional(seq('<', field('dtype', $._type), ',', field('shape', $.shape), '>')),
    ),

    shape: $ => seq('[', optional(commaSep1($.dimension)), ']'),

    // An integer, a dimension variable, or `_` (unknown).
    dimension: $ => choice($.integer, $.identifier),

    tuple_type: $ => seq('(', optional(seq(commaSep1($._type), optional(','))), ')'),

    // ───────────────────────────── patterns (§3.6) ─────────────────────────────

    _pattern: $ => choice($.integer, $.float, $.string, $.boolean, $.identifier),

    // ───────────────────────────── lexical rules (§2) ─────────────────────────────

    // §2.2: first character Alphabetic or `_`, then Alphabetic, numeric (N*) or `_`.
    identifier: _ => /[\p{Alphabetic}_][\p{Alphabetic}\p{N}_]*/,

    // §2.3: ASCII digits; a `.` belongs to a float only when a digit follows it.
    integer: _ => /[0-9]+/,

    float: _ => token(choice(
      /[0-9]+\.[0-9]+([eE][+-]?[0-9]+)?/,
      /[0-9]+[eE][+-]?[0-9]+/,
    )),

    // §2.4: no escapes. A backslash directly before `"` keeps the string open (both characters are
    // content); `\\` is not an escape, so `"C:\\"` does not end at its last quote.
    string: _ => /"([^"\\]|\\+[^\\])*"/,

    boolean: _ => choice('true', 'false'),

    // §2.1: `//` to end of line; `/* … */` does not nest; an unterminated `/*` runs to end of file.
    comment: _ => token(choice(
      /\/\/[^\n]*/,
      /\/\*([^*]|\*+[^*\/])*(\*+\/|\**)/,
    )),
  },
});

/**
 * One or more `rule`s separated by commas, with no trailing comma.
 * @param {RuleOrLiteral} rule
 * @returns {SeqRule}
 */
function commaSep1(rule) {
  return seq(rule, repeat(seq(',', rule)));
}
