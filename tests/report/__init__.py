"""Tests of policycompare.report."""
