"""Tests of policycompare.rules."""
