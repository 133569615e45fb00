/* External scanner of tree-sitter-charl: one zero-width token, `end_of_file_close`, that closes every block
 * still open at the end of the file (LANGUAGE.md §3.2: no error, the checker warns W215). With a MISSING "}"
 * tree-sitter can recover one open block, but several nested ones collapse into one ERROR node. */
#include "tree_sitter/parser.h"

#include <stdbool.h>

enum TokenType {
  END_OF_FILE_CLOSE,
  ERROR_RECOVERY, /* valid in no parse state: its flag is set only while tree-sitter recovers from an error */
};

void *tree_sitter_charl_external_scanner_create(void) { return NULL; }

void tree_sitter_charl_external_scanner_destroy(void *payload) { (void)payload; }

unsigned tree_sitter_charl_external_scanner_serialize(void *payload, char *buffer) {
  (void)payload;
  (void)buffer;
  return 0;
}

void tree_sitter_charl_external_scanner_deserialize(void *payload, const char *buffer, unsigned length) {
  (void)payload;
  (void)buffer;
  (void)length;
}

/* LANGUAGE.md §2.1: Unicode White_Space (the same set as the grammar's extras). */
static bool is_whitespace(int32_t c) {
  return (c >= 0x09 && c <= 0x0D) || c == 0x20 || c == 0x85 || c == 0xA0 || c == 0x1680 ||
         (c >= 0x2000 && c <= 0x200A) || c == 0x2028 || c == 0x2029 || c == 0x202F || c == 0x205F ||
         c == 0x3000;
}

bool tree_sitter_charl_external_scanner_scan(void *payload, TSLexer *lexer, const bool *valid_symbols) {
  (void)payload;
  if (valid_symbols[ERROR_RECOVERY] || !valid_symbols[END_OF_FILE_CLOSE]) return false;
  while (!lexer->eof(lexer) && is_whitespace(lexer->lookahead)) lexer->advance(lexer, true);
  if (!lexer->eof(lexer)) return false; /* comments are extras: the scanner is asked again after them */
  lexer->mark_end(lexer);
  lexer->result_symbol = END_OF_FILE_CLOSE;
  return true;
}
