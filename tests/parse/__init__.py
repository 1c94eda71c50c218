"""Tests of policycompare.parse."""
