"""CLI commands, one module each (NAME, HELP, add_arguments, run). Shared option helpers
live in _options.py."""
