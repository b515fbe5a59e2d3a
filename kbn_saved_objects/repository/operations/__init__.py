"""One module per repository operation, each a pure generator (see ``operation.py``)."""
