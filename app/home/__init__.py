"""The signed-in person's home page: what their role works on next, across the domains."""
