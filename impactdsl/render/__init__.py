"""Stage 6, render: results → what people read: explanations, reports in every format, the
words of both languages.

May import: `core`, `read`, `parse`, `compile`, `outcomes`, `evaluation`; nothing after it."""
