; Code navigation tags for Charl: function definitions and the calls that name them.

(function_definition
  name: (identifier) @name) @definition.function

(call_expression
  function: (identifier) @name) @reference.call
