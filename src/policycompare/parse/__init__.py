"""Parsing the text of one plan: normalisation, metadata, the heading tree and annexes, tasks, word segmentation."""
