"""CLI subcommands, one module each (see analysis.cli)."""
