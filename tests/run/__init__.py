"""Tests of policycompare.run."""
