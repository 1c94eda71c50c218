"""Figures (``figures``) and sentences that state results (``findings``) from the tables."""
