"""Tests of policycompare.analyze."""
