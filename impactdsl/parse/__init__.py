"""Stage 2, parse: ruleset text → syntax (one frozen class per grammar construct), every syntax
error as a diagnostic; and the formatter that prints syntax back (`impactdsl fmt`).

May import: `core`, `read`. Lark's trees and tokens never leave this package."""
