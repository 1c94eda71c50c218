"""Tests of policycompare.export."""
