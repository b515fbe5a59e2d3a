"""Kibana's saved-objects HTTP API as an ASGI application (spec 09).

Every route runs through the request-scoped client of the service facade, so HTTP passes
exactly the checks a Python call or an import passes.
"""

from kbn_saved_objects.http.app import create_app
from kbn_saved_objects.http.context import Authenticator
from kbn_saved_objects.http.openapi import openapi_document

__all__ = ["Authenticator", "create_app", "openapi_document"]
