"""Route groups, one module each; :func:`all_routers` lists them for the app (which
matches literal paths such as ``_find`` before the ``{type}/{id}`` patterns)."""

from __future__ import annotations

from fastapi import APIRouter


def all_routers() -> list[APIRouter]:
    from kbn_saved_objects.http.routes import (
        bulk,
        find,
        import_export,
        objects,
        resolve,
        spaces,
    )

    return [
        find.router,
        bulk.router,
        resolve.router,
        import_export.router,
        spaces.router,
        objects.router,
    ]
