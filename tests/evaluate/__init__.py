"""Tests of policycompare.evaluate."""
