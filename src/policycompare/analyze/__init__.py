"""Corpus-level tables (the reduce): comparisons, task and plan similarity, text reuse, escalation, and the registry of every table."""
