"""Tests of kbn_saved_objects.migrations."""
