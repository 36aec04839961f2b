"""Intake: every new question or idea gets one reply at once, with what it most likely duplicates."""
