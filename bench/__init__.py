"""Benchmarks: ``python -m bench`` runs them, prints the figures and records them in docs/benchmarks.md."""
