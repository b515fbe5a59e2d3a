"""Route groups, one module each; :func:`all_routers` lists them for the app."""

from __future__ import annotations

from fastapi import APIRouter


def all_routers() -> list[APIRouter]:
    from kbn_saved_objects.http.routes import import_export, objects, spaces

    # literal paths (``_export``...) before ``objects``' ``/{type}`` catches them
    return [import_export.router, spaces.router, objects.router]
