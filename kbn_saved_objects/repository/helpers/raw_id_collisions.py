"""Raw ids shared by objects of different types or spaces, and how operations stay safe.

A raw id is ``[<namespace>:]<type>:<id>`` and ids may contain ``:``, so two different
objects can have the same raw id: a single-namespace ``visualization`` with id ``victim``
in space ``dashboard`` is stored at ``dashboard:visualization:victim``, and so is the
default-space ``dashboard`` whose id is ``visualization:victim``. The engine knows one
document per ``_id``; which object it is, is said by its stored ``type`` (and, for a
single-namespace type, its stored ``namespace``).

Kibana trusts the raw id (``rawDocExistsInNamespace`` checks ``namespaces`` of
multi-namespace types only, and its blind writes overwrite whatever is there). Here:

* every read checks that the document found *is* the object asked for
  (:func:`is_stored_object`); another object at the same raw id is *not found*;
* a write that replaces or deletes without reading first (``create``/``bulk_create``
  with ``overwrite``, ``delete``, ``bulk_delete``) reads first -- but only when the raw id
  can belong to another object at all (:func:`may_share_raw_id`, decided from the
  registry without a round trip; ordinary ids never can) -- and then writes guarded by
  what it read: a compare-and-set on the document it checked, or a ``create`` (which the
  engine refuses if anything appeared meanwhile) when there was none;
* ``increment_counter``'s script checks the stored type and namespace itself, in the
  engine, and leaves another object untouched.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from kbn_saved_objects.repository.context import RepositoryContext

__all__ = ["is_stored_object", "may_share_raw_id"]


def is_stored_object(
    ctx: RepositoryContext, source: Mapping[str, Any], type_name: str, namespace: str | None
) -> bool:
    """Whether a document read at the raw id of ``type_name``/``namespace`` (an id,
    ``None`` for the default space) is that object, and not another one that shares the
    raw id: same stored type and, for a single-namespace type, same stored namespace
    (for other types the raw id carries no namespace, so the type decides)."""
    if source.get("type") != type_name:
        return False
    if ctx.registry.is_single_namespace(type_name):
        return source.get("namespace") == namespace
    return True


def may_share_raw_id(
    ctx: RepositoryContext, type_name: str, namespace: str | None, raw_id: str
) -> bool:
    """Whether another registered type, or the same type in another space, could be
    stored at ``raw_id`` in the index ``type_name`` lives in.

    Each ``:`` of the raw id is a place where a different prefix could end: the text
    before it could be an unprefixed type (``<type>:<id>``: any type in the default space)
    or ``<namespace>:<single-namespace type>``. ``namespace`` is the namespace id of the
    raw id (``None`` unless ``type_name`` is single-namespace). Ordinary raw ids
    (``<type>:<id>`` with no ``:`` in the id, ``<space>:<type>:<id>`` for a space that
    is not a type name) have one reading only.
    """
    own = (type_name, namespace if ctx.registry.is_single_namespace(type_name) else None)
    types, single_types = ctx.types_sharing_index(type_name)
    colons: list[int] = []
    at = raw_id.find(":")
    while at != -1:
        colons.append(at)
        at = raw_id.find(":", at + 1)
    for end in colons:
        if end + 1 >= len(raw_id):
            continue  # nothing left for an id
        head = raw_id[:end]
        if head in types and (head, None) != own:
            return True
        for split in colons:
            if split >= end:
                break
            owner = (head[split + 1 :], head[:split])
            if split > 0 and owner[0] in single_types and owner != own:
                return True
    return False
