"""People: points and badges from the record (recognition), and erasure of a person on request (erasure)."""
