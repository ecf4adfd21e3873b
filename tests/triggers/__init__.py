"""Tests of the triggers context."""
