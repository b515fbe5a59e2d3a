"""Extensions shipped with the library: implementations of the repository's extension
protocols (:mod:`kbn_saved_objects.repository.extensions`).

Each lives in its own subpackage (``security/``...) so that a service can take one and
bring its own for the others; the repository only knows the protocols.
"""
