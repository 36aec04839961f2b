"""Votes on ideas: counting ballots per person (votes) and the tally that writes ideas/ and decides statuses (ideas)."""
