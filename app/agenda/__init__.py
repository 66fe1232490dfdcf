"""The agenda: what is due on open cases, computed from the records already there."""
