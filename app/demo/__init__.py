"""Synthetic demo dataset: fake people whose counts reproduce the published CALP tables."""
