"""What every stage shares: source positions, diagnostics, redaction, limits, exact arithmetic,
number formatting, and the kinds (units, operators, statuses, formats, languages).

May import: only `core` itself."""
