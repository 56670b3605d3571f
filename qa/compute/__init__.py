"""Figures we compute: arithmetic a question asks of table rows, and standard metrics over statement lines."""
