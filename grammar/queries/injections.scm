; Language injections for Charl: comments may hold TODO/FIXME notes for a `comment` parser.
; Strings have no escapes and no embedded languages (LANGUAGE.md §2.4).

((comment) @injection.content
  (#set! injection.language "comment"))
