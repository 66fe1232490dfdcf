"""Transfers of cases between teams (issue 15)."""
