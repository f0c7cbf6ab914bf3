"""Stages 3-4: validated spec → expanded, shape-propagated layer graph."""
