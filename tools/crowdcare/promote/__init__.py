"""From thread to knowledge base: promotion triggers and commands (triggers), the solution draft (draft), merging
solutions (merge), checks before proposing (preflight), proposing a change as a reviewed pull request (changes),
and how far an answer's release is behind (freshness)."""
