"""Caseload: who on a team is in charge of which case (assignments), and the coordinator's view."""
