"""Test helpers that are more than a function: the fault-injecting proxy."""
