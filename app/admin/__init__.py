"""Administration pages: users, teams, deactivation, visualiser tokens."""
