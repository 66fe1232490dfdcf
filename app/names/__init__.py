"""Finding a person by name without a readable name in the database (issue 16)."""
