"""Extract: one module per kind of published input, each returning rows of the tidy figures table."""
