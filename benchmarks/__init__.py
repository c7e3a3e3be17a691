"""Benchmarks of blogcli against Hugo and Pelican: a corpus generator and one runner (not tests)."""
