"""Hostile probes: inputs and uses meant to break filingqa, as scripts anyone can run (see bench/hostile/README.md)."""
