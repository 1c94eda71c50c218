"""Scoring the pipeline against hand coding: gold tables (``gold``) and labelled task pairs (``pairs``)."""
