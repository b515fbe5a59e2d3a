"""Forward-compatibility schemas: reading a document written by a newer model version.

When two releases share an index (a rollback, or a rolling upgrade), the older one reads
documents a newer one wrote. It cannot run the newer transforms backwards; instead it
applies the ``forward_compatibility`` schema of the newest version *it* knows, which keeps
the attributes that version understands and drops the rest.

Accepted schemas (anything else is refused when the migrator is built, not at read time):

* a function ``attributes -> attributes``: its result replaces the attributes;
* a pydantic model class, or a pydantic ``TypeAdapter``: the attributes are validated
  (a validation error propagates), and the result keeps, *from the original attributes*,
  exactly the fields present in the validated output (Kibana's
  ``pickValuesBasedOnStructure``). So unknown fields go (pydantic's default
  ``extra="ignore"``; ``extra="forbid"`` turns them into an error) while known values
  come back exactly as stored, never coerced.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeAlias

from pydantic import BaseModel, TypeAdapter, ValidationError

from kbn_saved_objects.errors import TypeRegistrationError

__all__ = [
    "AttributesFn",
    "forward_compatibility_fn",
    "pick_values_based_on_structure",
    "validation_message",
]

AttributesFn: TypeAlias = Callable[[Any], Any]
"""``attributes -> attributes`` as applied by the downgrade pipeline."""


def forward_compatibility_fn(schema: object, *, type_name: str, model_version: int) -> AttributesFn:
    """The attributes function for ``schema``; raise :class:`TypeRegistrationError` when
    ``schema`` is of no accepted form."""
    if isinstance(schema, type) and issubclass(schema, BaseModel):
        model: type[BaseModel] = schema

        def pick_from_model(attributes: Any) -> Any:
            validated = model.model_validate(attributes)
            structure = validated.model_dump(by_alias=True, exclude_unset=True)
            return pick_values_based_on_structure(structure, attributes)

        return pick_from_model
    if isinstance(schema, TypeAdapter):
        adapter: TypeAdapter[Any] = schema

        def pick_from_adapter(attributes: Any) -> Any:
            validated = adapter.validate_python(attributes)
            structure = adapter.dump_python(validated, by_alias=True, exclude_unset=True)
            return pick_values_based_on_structure(structure, attributes)

        return pick_from_adapter
    if callable(schema) and not isinstance(schema, type):
        function: AttributesFn = schema
        return function
    raise TypeRegistrationError(
        f"Type {type_name}: unknown forward compatibility schema for model version "
        f"{model_version}. Must be a pydantic model, a pydantic TypeAdapter or a function "
        "of the attributes.",
        metadata={"type": type_name, "model_version": model_version},
    )


def pick_values_based_on_structure(structure: Any, original: Any) -> Any:
    """The values of ``original`` at the leaf paths of ``structure``.

    Both are walked together through dicts and lists (by index); an empty dict or list in
    ``structure`` is a leaf. At a leaf, an original list becomes ``[]``, an original dict
    ``{}``, anything else is kept as is. Paths missing from ``original`` are left out.
    Example: structure ``{a: 1, b: [{a: 1}, {a: 2}]}`` and original
    ``{a: 2, b: [{a: 2, b: 3}, {a: 3, b: 4}]}`` give ``{a: 2, b: [{a: 2}, {a: 3}]}``.
    """
    if isinstance(structure, dict) and structure and isinstance(original, dict):
        return {
            key: pick_values_based_on_structure(value, original[key])
            for key, value in structure.items()
            if key in original
        }
    if isinstance(structure, list | tuple) and structure and isinstance(original, list):
        return [
            pick_values_based_on_structure(value, original[index])
            for index, value in enumerate(structure)
            if index < len(original)
        ]
    if isinstance(original, list):
        return []
    if isinstance(original, dict):
        return {}
    return original


def validation_message(error: BaseException) -> str:
    """``[path]: message`` for a pydantic error (Kibana's shape), ``str(error)`` otherwise."""
    if isinstance(error, ValidationError) and error.errors():
        first = error.errors()[0]
        path = ".".join(str(part) for part in first["loc"])
        return f"[{path}]: {first['msg']}" if path else str(first["msg"])
    return str(error)
