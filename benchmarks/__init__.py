"""Benchmarks and the row-by-row reference classifier (the yardstick for the standards engine)."""
