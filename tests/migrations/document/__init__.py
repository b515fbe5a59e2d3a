"""Tests of the document migrator."""
