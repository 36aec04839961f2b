"""The command line: one module per group of commands; `main` holds the group and the shared options."""
