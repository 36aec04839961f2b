"""Folding duplicates with consent: a question into the solution that answers it (questions), a new idea into the
idea it repeats (ideas)."""
