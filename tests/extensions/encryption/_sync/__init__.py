# Generated from the _async source by tests/codegen/run_unasync.py: do not edit.
