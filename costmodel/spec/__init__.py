"""Stages 1-2: YAML text → plain nodes with source marks → validated spec model."""
