"""Placeholder: the command module is being written (see the issue)."""
