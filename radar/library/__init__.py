"""What radar knows of its user's reading: library entries, and save/dismiss verdicts."""
