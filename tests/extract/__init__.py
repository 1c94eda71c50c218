"""Tests of policycompare.extract."""
