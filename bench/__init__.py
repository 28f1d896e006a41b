"""Benchmarks: each workload prints JSON figures beside in-run baselines and their ratios."""
