"""Hypothesis strategies, one module per context (``tests.strategies.journey`` ...)."""
