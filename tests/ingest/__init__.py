"""Tests of policycompare.ingest."""
