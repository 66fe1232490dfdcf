"""Links between two victim records of the same person (attended twice)."""
