"""The document migrator: brings one saved-object document to the version this process runs.

Built once from a frozen type registry: every type's transforms are compiled, sorted and
indexed up front, so migrating a document is a lookup plus the transforms it actually
needs. Documents are Kibana-shaped :class:`~kbn_saved_objects.serialization.SavedObjectDoc`
dicts (camelCase keys), as the serializer produces them.

Callers:

* write paths (create, bulk create, upsert, import) call ``migrate(doc)``: older documents
  are upgraded, a document claiming a newer version than known is refused (422);
* read paths (get, find, resolve...) call ``migrate(doc, allow_downgrade=True)``: a
  document written by a newer release is brought down to the newest known version
  through that version's ``forward_compatibility`` schema, so a rolled-back service
  keeps reading what its successor wrote;
* the index migrator calls ``migrate_and_convert(doc)`` on each outdated stored document
  (which also converts single-namespace objects of types that became multi-namespace),
  and selects those documents with :meth:`DocumentMigrator.outdated_documents_query`.

What a caller can rely on:

* the document passed in is never modified. A document that is already current is
  returned *as is* -- the same object, after two string comparisons -- so a caller that
  wants to modify the result copies it first. Otherwise the result is a new dict;
* functions written by a type's author (backfills, unsafe transforms, legacy
  migrations) receive a document whose top-level dict and ``attributes``/``references``
  containers are the migrator's own copies, free to change in place; deeper values are
  shared with the caller's document and must be replaced, not changed in place;
* a document that cannot be migrated raises a
  :class:`~kbn_saved_objects.errors.DocumentMigrationError` (or its 422 subclass
  :class:`~kbn_saved_objects.errors.DocumentVersionError`) with Kibana's message and the
  document's type and id; nothing else is raised for a document's content.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from kbn_saved_objects.errors import (
    DocumentMigrationError,
    DocumentVersionError,
    TypeRegistrationError,
    UnclassifiedError,
)
from kbn_saved_objects.migrations.document._versions import (
    InvalidVersion,
    is_greater,
    max_version,
    semver_gt,
    version_key,
)
from kbn_saved_objects.migrations.document.forward_compatibility import (
    AttributesFn,
    forward_compatibility_fn,
    validation_message,
)
from kbn_saved_objects.migrations.document.outdated import outdated_documents_query
from kbn_saved_objects.migrations.document.transforms import (
    Transform,
    TransformKind,
    conversion_transforms,
    convert_namespace_type,
    core_transforms,
    legacy_migration_transforms,
    model_version_transforms,
    reference_transforms,
)
from kbn_saved_objects.serialization.documents import SavedObjectDoc
from kbn_saved_objects.types._semver import parse_semver
from kbn_saved_objects.types.definition import SavedObjectsType
from kbn_saved_objects.types.model_versions import ModelVersion, model_version_to_virtual_version
from kbn_saved_objects.types.registry import SavedObjectTypeRegistry

__all__ = ["DocumentMigrator"]

_CORE = TransformKind.CORE
_REFERENCE = TransformKind.REFERENCE
_CONVERT = TransformKind.CONVERT
_MIGRATE = TransformKind.MIGRATE

_ABSENT: Any = object()  # "key not in the document"
_NEVER: Any = object()  # equal to nothing: disables the up-to-date shortcut
_MAX_CACHED = 256
_TYPE_ONLY_FIRST_MODEL_VERSION = "10.1.0"
_TYPE_CHANGED = "Changing a document's type during a migration is not supported."

_DEFAULT_LOGGER = logging.getLogger("kbn_saved_objects.migrations")


@dataclass(slots=True, eq=False)
class _TypePlan:
    """Everything the migrator knows about one type, computed once."""

    name: str
    transforms: tuple[Transform, ...]
    latest: dict[TransformKind, str]
    immediate: dict[TransformKind, str]
    type_version: str | None  # stamped as typeMigrationVersion; newer documents need a downgrade
    core_stamp: str | None  # stamped as coreMigrationVersion
    compatible_version: str  # a document above this one cannot be read
    forward_compatibility: dict[str, AttributesFn]
    fast_type: Any
    fast_core: Any
    latest_migrate: str | None = None
    latest_core: str | None = None
    pending: dict[tuple[Any, Any, bool], tuple[Transform, ...]] = field(default_factory=dict)
    newer: dict[str, bool] = field(default_factory=dict)  # document version -> newer than known
    routes: dict[tuple[Any, Any, bool], _Route | None] = field(default_factory=dict)
    """(typeMigrationVersion, coreMigrationVersion, convert) -> how documents at these
    versions are upgraded, ``None`` when they need the checks of each call."""


_Step = tuple[Any, Any, bool, bool, str, str, Transform]


@dataclass(frozen=True, slots=True, eq=False)
class _Route:
    """The first pass of the upgrade of documents at one pair of version fields, compiled.

    ``steps`` holds ``(fn, context, user_code, advances_type, version_field, version,
    transform)`` per transform of the pass. ``copies``: some step changes the content, so
    the ``attributes``/``references`` containers are copied before the first step rather
    than before the first such step -- the same, since the steps that may come earlier
    (core, reference rewrites, conversions, versions without data changes) never change
    those containers in place. ``type_version`` is the ``typeMigrationVersion`` the pass
    leaves: the version of its last step that advances it (each stamps its version after
    it runs), else the document's own (a route is never used for a document with a
    legacy ``migrationVersion``, the only thing a core step reads it from);
    ``final_for_convert``: nothing is left for ``migrate_and_convert`` once the pass
    reaches the latest versions.
    """

    steps: tuple[_Step, ...]
    copies: bool
    type_version: str | None
    final_for_convert: bool


class DocumentMigrator:
    """Kibana's ``DocumentMigrator`` for one frozen registry.

    ``stack_version`` is the product version this process runs as (Kibana's
    ``kibanaVersion``): a ``coreMigrationVersion`` above it is refused, and legacy
    migrations may not be keyed above it. It defaults to the registry's own
    ``stack_version``; with neither, only the validity of ``coreMigrationVersion`` is
    checked. ``logger`` receives Kibana's transform-failure messages and is passed to
    migration functions as ``context.log``.

    Raises :class:`~kbn_saved_objects.errors.TypeRegistrationError` when a type cannot be
    compiled (an unusable forward-compatibility schema, or a migration newer than an
    explicitly given ``stack_version``).
    """

    def __init__(
        self,
        registry: SavedObjectTypeRegistry,
        *,
        stack_version: str | None = None,
        logger: logging.Logger | None = None,
    ) -> None:
        if not registry.frozen:
            raise UnclassifiedError(
                "Migrations are not ready. Make sure the type registry is frozen first."
            )
        explicit = stack_version is not None
        if stack_version is None:
            stack_version = registry.stack_version
        if stack_version is not None and parse_semver(stack_version) is None:
            raise TypeRegistrationError(f"Invalid stack version: {stack_version!r}")
        self._stack_version = stack_version
        self._log = logger or _DEFAULT_LOGGER
        types = registry.get_all_types()
        if explicit:
            for definition in types:
                _check_not_newer_than_stack(definition, stack_version)  # type: ignore[arg-type]
        references = reference_transforms(types)
        self._plans: dict[str, _TypePlan] = {
            definition.name: self._compile(definition, references) for definition in types
        }
        self._accepted_core_versions: set[str] = set()

    @property
    def stack_version(self) -> str | None:
        return self._stack_version

    # -- compile ---------------------------------------------------------------------------

    def _compile(self, definition: SavedObjectsType, references: list[Transform]) -> _TypePlan:
        transforms = [
            *core_transforms(),
            *references,
            *conversion_transforms(definition),
            *legacy_migration_transforms(definition, self._log),
            *model_version_transforms(definition, self._log),
        ]
        transforms.sort(key=Transform.sort_key)
        latest: dict[TransformKind, str] = {}
        immediate: dict[TransformKind, str] = {}
        for transform in transforms:
            latest[transform.kind] = transform.version
            if not transform.deferred:
                immediate[transform.kind] = transform.version
        type_version = max_version(latest.get(_MIGRATE), latest.get(_CONVERT))
        core_stamp = max_version(latest.get(_CORE), latest.get(_REFERENCE))
        stack = self._stack_version
        core_current = core_stamp is not None and (
            stack is None or not semver_gt(core_stamp, stack)
        )
        return _TypePlan(
            name=definition.name,
            transforms=tuple(transforms),
            latest=latest,
            immediate=immediate,
            type_version=type_version,
            core_stamp=core_stamp,
            compatible_version=max_version("0.0.0", type_version) or "0.0.0",
            forward_compatibility=_forward_compatibility_schemas(definition),
            fast_type=type_version or _ABSENT,
            fast_core=core_stamp if core_current else _NEVER,
            latest_migrate=latest.get(_MIGRATE),
            latest_core=latest.get(_CORE),
        )

    # -- public API ------------------------------------------------------------------------

    def migrate(
        self,
        doc: SavedObjectDoc,
        *,
        allow_downgrade: bool = False,
        target_type_version: str | None = None,
    ) -> SavedObjectDoc:
        """``doc`` brought to the latest version of its type (or ``target_type_version``).

        With ``allow_downgrade`` (read paths), a document from a newer version is brought
        down through the forward-compatibility schema; without it (write paths) such a
        document raises :class:`~kbn_saved_objects.errors.DocumentVersionError`. A
        document without any version field is taken as current and only stamped; set
        ``typeMigrationVersion`` to ``""`` to run every migration (old imports).
        """
        plan = self._plans.get(doc.get("type"))
        if plan is not None and target_type_version is None:
            type_version = doc.get("typeMigrationVersion", _ABSENT)
            core = doc.get("coreMigrationVersion", _ABSENT)
            if type_version == plan.fast_type and core == plan.fast_core:
                return doc  # the hot path: inline
            route = self._compiled_route(doc, plan, type_version, core, False)
            if route is not None:
                return self._run_route(doc, plan, route, False)[0]
        migrated, _ = self._transform(doc, plan, False, allow_downgrade, target_type_version)
        return migrated

    def migrate_and_convert(self, doc: SavedObjectDoc) -> list[SavedObjectDoc]:
        """``migrate`` for the index migrator: also converts objects of types that became
        multi-namespace, which may add a ``legacy-url-alias`` document after the migrated
        one. A newer document is refused."""
        plan = self._plans.get(doc.get("type"))
        if plan is not None:
            type_version = doc.get("typeMigrationVersion", _ABSENT)
            core = doc.get("coreMigrationVersion", _ABSENT)
            if type_version == plan.fast_type and core == plan.fast_core:
                return [doc]
            route = self._compiled_route(doc, plan, type_version, core, True)
            if route is not None:
                migrated, additional = self._run_route(doc, plan, route, True)
                return [migrated, *additional]
        migrated, additional = self._transform(doc, plan, True, False, None)
        return [migrated, *additional]

    def _compiled_route(
        self, doc: SavedObjectDoc, plan: _TypePlan, type_version: Any, core: Any, convert: bool
    ) -> Any:
        """The compiled first pass for ``doc``'s pair of version fields, or ``None`` when
        the document needs the step-by-step pipeline (a legacy ``migrationVersion``, a
        version field that is not a string, a pair no route covers). Shared by
        :meth:`migrate` and :meth:`migrate_and_convert`."""
        if (
            (type(type_version) is str or type_version is _ABSENT or type_version is None)
            and (type(core) is str or core is _ABSENT)
            and "migrationVersion" not in doc
        ):
            key = (type_version, core, convert)
            route = plan.routes.get(key, _ABSENT)
            return self._route(plan, key) if route is _ABSENT else route
        return None

    def is_outdated(self, doc: SavedObjectDoc) -> bool:
        """Whether :meth:`migrate` would run at least one transform on ``doc``.

        ``False`` for unknown types, for documents from a newer version and for documents
        that only lack version stamps (they are taken as current).
        """
        plan = self._plans.get(doc.get("type"))
        if plan is None:
            return False
        try:
            return bool(
                self._pending(
                    plan,
                    doc.get("typeMigrationVersion"),
                    doc.get("coreMigrationVersion"),
                    False,
                    plan.latest_migrate,
                )
            )
        except InvalidVersion as error:
            raise _invalid_version_error(doc, error.value) from None

    def is_downgrade_required(
        self, doc: SavedObjectDoc, *, target_type_version: str | None = None
    ) -> bool:
        """Whether ``doc`` is newer than ``target_type_version`` (default: the latest known
        version of its type). Always ``False`` for an unknown type."""
        try:
            return _downgrade_required(doc, self._plans.get(doc.get("type")), target_type_version)
        except InvalidVersion as error:
            raise _invalid_version_error(doc, error.value) from None

    def latest_version(self, type_name: str) -> str | None:
        """The ``typeMigrationVersion`` current documents of ``type_name`` carry (model
        version ``N`` as ``10.N.0``, or the last legacy migration), ``None`` when the type
        has no migration or is unknown."""
        plan = self._plans.get(type_name)
        return None if plan is None else plan.type_version

    def migration_versions(
        self, *, include_deferred: bool = True, kind: Literal["type", "core"] = "type"
    ) -> dict[str, str]:
        """``{type: version}`` (Kibana's ``getMigrationVersion``).

        ``kind="type"``: the latest ``typeMigrationVersion`` of each type; ``"core"``: the
        latest core transform. ``include_deferred=False`` ignores deferred transforms, as
        the index migrator does to decide which stored documents are outdated. Types
        without such a version are left out.
        """
        result: dict[str, str] = {}
        for name, plan in self._plans.items():
            versions = plan.latest if include_deferred else plan.immediate
            if kind == "core":
                version = versions.get(_CORE)
            else:
                version = max_version(versions.get(_MIGRATE), versions.get(_CONVERT))
            if version:
                result[name] = version
        return result

    def outdated_documents_query(self) -> dict[str, Any]:
        """The query selecting stored documents an index migration must rewrite."""
        return outdated_documents_query(
            type_versions=self.migration_versions(include_deferred=False),
            core_versions=self.migration_versions(include_deferred=False, kind="core"),
        )

    # -- pipelines ---------------------------------------------------------------------------

    def _transform(
        self,
        doc: SavedObjectDoc,
        plan: _TypePlan | None,
        convert: bool,
        allow_downgrade: bool,
        target: str | None,
    ) -> tuple[SavedObjectDoc, list[SavedObjectDoc]]:
        """Down (newer document) or up (Kibana's upgrade pipeline), after checking the
        document's version fields."""
        if target is not None and parse_semver(target) is None:
            raise ValueError(f"Invalid target_type_version: {target!r}")
        source: dict[str, Any] = doc  # type: ignore[assignment]
        try:
            if plan is not None:
                version = source.get("typeMigrationVersion")
                newer = None
                if target is None and type(version) is str:
                    newer = plan.newer.get(version)
                if newer is None:
                    newer = _downgrade_required(source, plan, target)
                if newer:
                    return self._downgrade(source, plan, allow_downgrade, target), []
            core = source.get("coreMigrationVersion")
            if core and (type(core) is not str or core not in self._accepted_core_versions):
                self._check_core_version(source)
        except InvalidVersion as error:
            raise _invalid_version_error(source, error.value) from None
        if plan is not None and target is None:
            target = plan.latest_migrate
        return self._upgrade(doc, plan, convert, target)

    def _route(self, plan: _TypePlan, key: tuple[Any, Any, bool]) -> _Route | None:
        """How documents at these version fields are upgraded, compiled once per plan;
        ``None`` when such documents need :meth:`_transform`'s checks on each call (newer
        than known, an invalid or unaccepted version, nothing to run).

        Only for documents without the legacy ``migrationVersion``: what
        :meth:`_transform` checks before upgrading then depends on the two version fields
        only, so a pair that passed once passes again, and the core step leaves
        ``typeMigrationVersion`` alone."""
        type_version, core, convert = key
        if type_version is _ABSENT:
            type_version = None
        if core is _ABSENT:
            core = None
        target = plan.latest_migrate
        route = None
        try:
            if not _downgrade_required({"typeMigrationVersion": type_version}, plan, None):
                if core and core not in self._accepted_core_versions:
                    self._check_core_version({"coreMigrationVersion": core})
                first = self._pending(plan, type_version, core, convert, target)
                if first:
                    route = self._compile_route(plan, type_version, first, convert)
        except (InvalidVersion, DocumentVersionError):
            route = None
        if len(plan.routes) < _MAX_CACHED:
            plan.routes[key] = route
        return route

    def _compile_route(
        self,
        plan: _TypePlan,
        type_version: str | None,
        first: tuple[Transform, ...],
        convert: bool,
    ) -> _Route:
        for transform in first:
            if transform.kind >= _CONVERT:
                type_version = transform.version
        final_for_convert = (
            convert
            and type_version == plan.latest_migrate
            and not self._pending(plan, type_version, plan.latest_core, True, plan.latest_migrate)
        )
        return _Route(
            steps=tuple(
                (
                    t.fn,
                    t.context,
                    t.user_code,
                    t.kind >= _CONVERT,
                    t.version_field,
                    t.version,
                    t,
                )
                for t in first
            ),
            copies=any(t.fn is not None and t.touches_attributes for t in first),
            type_version=type_version,
            final_for_convert=final_for_convert,
        )

    def _run_route(
        self, doc: SavedObjectDoc, plan: _TypePlan, route: _Route, convert: bool
    ) -> tuple[SavedObjectDoc, list[SavedObjectDoc]]:
        """:meth:`_upgrade` for a document whose versions have a route: the first pass
        without lookups, then the end of the upgrade when the pass reached the latest
        versions (the common case), else :meth:`_upgrade` takes over."""
        source: dict[str, Any] = doc  # type: ignore[assignment]
        work = dict(source)
        if route.copies:
            attributes = work.get("attributes")
            if type(attributes) is dict or isinstance(attributes, Mapping):
                work["attributes"] = dict(attributes)
            references = work.get("references")
            if type(references) is list:
                work["references"] = list(references)
        type_name = source.get("type")
        additional: list[SavedObjectDoc] = []
        try:
            for fn, context, user_code, advances_type, version_field, version, t in route.steps:
                if fn is None:
                    if t.kind is _CONVERT:
                        work, alias = convert_namespace_type(work)
                        if alias is not None:
                            additional.append(self._ensure_version(alias))
                elif not user_code:
                    work = fn(work, context)  # cannot fail, retype or downgrade
                else:
                    previous = work.get("typeMigrationVersion")
                    try:
                        work = fn(work, context)
                    except Exception as error:
                        raise self._transform_failed(plan, work, t, error) from error
                    _check_step(plan, work, type_name, version, previous, advances_type)
                work[version_field] = version
        except InvalidVersion as error:
            raise _invalid_version_error(source, error.value) from None
        core = work.get("coreMigrationVersion")
        current = route.type_version
        if (
            current != plan.latest_migrate
            or core != plan.latest_core
            or (convert and not route.final_for_convert)
        ):
            migrated, more = self._upgrade(work, plan, convert, plan.latest_migrate)  # type: ignore[arg-type]
            return migrated, [*additional, *more]
        # The latest versions are reached: the end of _upgrade, with the version known.
        if current and current != plan.compatible_version:
            _check_not_newer(work, plan.compatible_version, type_name, current)
        if not core or not current:
            self._stamp(work, plan)
        return work, additional  # type: ignore[return-value]

    def _upgrade(
        self,
        doc: SavedObjectDoc,
        plan: _TypePlan | None,
        convert: bool,
        target: str | None,
    ) -> tuple[SavedObjectDoc, list[SavedObjectDoc]]:
        """Kibana's upgrade pipeline: run pending transforms, pass after pass, until none
        is left -- a transform may move a version field and so make others pending.

        This is the hot path of every outdated document, hence one long function: lookups
        are cached per version pair, helpers are inlined, and the checks after a step are
        skipped for steps that run no user code (they cannot change the type or the
        version fields).
        """
        source: dict[str, Any] = doc  # type: ignore[assignment]
        try:
            work = dict(source)
            additional: list[SavedObjectDoc] = []
            type_name = source.get("type")
            core = source.get("coreMigrationVersion")
            private = False
            pending = None
            cache = None if plan is None or target != plan.latest_migrate else plan.pending
            while plan is not None:
                if pending is None:
                    type_version = work.get("typeMigrationVersion")
                    core = work.get("coreMigrationVersion")
                    if not convert and type_version == target and core == plan.latest_core:
                        break  # the common end of the loop, without a lookup
                    if cache is not None:
                        pending = cache.get((type_version, core, convert))
                    if pending is None:
                        pending = self._pending(plan, type_version, core, convert, target)
                    if not pending:
                        break
                for transform in pending:
                    fn, context, touches_attributes, version_field, version = transform.unpacked
                    if fn is not None:
                        if touches_attributes and not private:
                            # The caller's containers stay untouched: steps get copies.
                            attributes = work.get("attributes")
                            if type(attributes) is dict or isinstance(attributes, Mapping):
                                work["attributes"] = dict(attributes)
                            references = work.get("references")
                            if type(references) is list:
                                work["references"] = list(references)
                            private = True
                        if not transform.user_code:
                            work = fn(work, context)  # cannot fail, retype or downgrade
                            work[version_field] = version
                            continue
                        previous = work.get("typeMigrationVersion")
                        try:
                            work = fn(work, context)
                        except Exception as error:
                            raise self._transform_failed(plan, work, transform, error) from error
                        advances = transform.kind >= _CONVERT
                        _check_step(plan, work, type_name, version, previous, advances)
                    elif transform.kind is _CONVERT:
                        work, alias = convert_namespace_type(work)
                        if alias is not None:
                            additional.append(self._ensure_version(alias))
                    work[version_field] = version
                pending = None
            current = work.get("typeMigrationVersion")
            latest = plan.compatible_version if plan is not None else "0.0.0"
            if current and current != latest:
                _check_not_newer(work, latest, type_name, current)
            if not core or not current:
                self._stamp(work, plan)
            return work, additional  # type: ignore[return-value]
        except InvalidVersion as error:
            raise _invalid_version_error(source, error.value) from None

    def _transform_failed(
        self, plan: _TypePlan, work: dict[str, Any], transform: Transform, error: Exception
    ) -> DocumentMigrationError:
        self._log.error("Error trying to transform document: %s", error)
        return DocumentMigrationError(
            f"Migration function for version {transform.version} threw an error",
            type_name=plan.name,
            object_id=work.get("id"),
            version=transform.version,
            original_error=error,
        )

    def _pending(
        self,
        plan: _TypePlan,
        type_version: Any,
        core_version: Any,
        convert: bool,
        target: str | None,
    ) -> tuple[Transform, ...]:
        """The transforms one pass of the upgrade loop runs, for a document at these
        versions (Kibana's ``hasPendingTransforms`` + ``getPendingTransforms``)."""
        cacheable = (
            target == plan.latest_migrate
            and (type_version is None or type(type_version) is str)
            and (core_version is None or type(core_version) is str)
        )
        if cacheable:
            cached = plan.pending.get((type_version, core_version, convert))
            if cached is not None:
                return cached
        pending = _pending_transforms(plan, type_version, core_version, convert, target)
        if cacheable and len(plan.pending) < _MAX_CACHED:
            plan.pending[(type_version, core_version, convert)] = pending
        return pending

    def _downgrade(
        self, source: dict[str, Any], plan: _TypePlan, allow: bool, target: str | None
    ) -> SavedObjectDoc:
        """Relabel a newer document as ``target`` (default: the latest known version) and
        apply that version's forward-compatibility schema -- or refuse it on write paths.

        No public transform has a reverse function, so nothing else runs (Kibana's
        downgrade pipeline, without its in-place reversal of the shared transform list).
        """
        latest = target or plan.type_version
        assert latest is not None  # a downgrade is only required below a known version
        if not allow:
            current = _document_type_version(source)
            raise DocumentVersionError(
                f'Document "{source.get("id")}" belongs to a more recent version of '
                f"Kibana [{current}] when the last known version is [{latest}].",
                type_name=plan.name,
                object_id=source.get("id"),
                version=current,
            )
        target = latest
        self._check_core_version(source)
        current = source.get("typeMigrationVersion")
        if current and semver_gt(target, current):
            raise DocumentMigrationError(
                f"Trying to transform down to a higher version: {current} to {target}",
                type_name=plan.name,
                object_id=source.get("id"),
                version=target,
            )
        work = dict(source)
        core = work.pop("coreMigrationVersion", None)
        work.pop("typeMigrationVersion", None)
        work["typeMigrationVersion"] = target
        if core:
            work["coreMigrationVersion"] = core
        schema = plan.forward_compatibility.get(target)
        if schema is not None:
            attributes = work.get("attributes")
            try:
                work["attributes"] = schema(
                    dict(attributes) if type(attributes) is dict else attributes
                )
            except Exception as error:
                raise DocumentMigrationError(
                    validation_message(error),
                    type_name=plan.name,
                    object_id=work.get("id"),
                    version=target,
                    original_error=error,
                ) from error
        return work  # type: ignore[return-value]

    def _check_core_version(self, doc: Mapping[str, Any]) -> None:
        core = doc.get("coreMigrationVersion")
        if not core or (type(core) is str and core in self._accepted_core_versions):
            return
        if parse_semver(core) is None:
            raise DocumentVersionError(
                f'Document "{doc.get("id")}" has an invalid "coreMigrationVersion" [{core}]. '
                "This must be a semver value.",
                type_name=doc.get("type"),
                object_id=doc.get("id"),
                version=str(core),
            )
        stack = self._stack_version
        if stack is not None and semver_gt(core, stack):
            raise DocumentVersionError(
                f'Document "{doc.get("id")}" has a "coreMigrationVersion" which belongs to a '
                f"more recent version of Kibana [{core}]. The current version is [{stack}].",
                type_name=doc.get("type"),
                object_id=doc.get("id"),
                version=core,
            )
        if len(self._accepted_core_versions) < _MAX_CACHED:
            self._accepted_core_versions.add(core)

    def _ensure_version(self, doc: dict[str, Any]) -> SavedObjectDoc:
        return self._stamp(doc, self._plans.get(doc["type"]))

    @staticmethod
    def _stamp(work: dict[str, Any], plan: _TypePlan | None) -> SavedObjectDoc:
        """Kibana's ``ensureVersion``: keep set version fields, stamp the latest ones on
        documents without, and drop unset (``''``/``None``) fields that have nothing to
        be stamped with."""
        if not work.get("coreMigrationVersion"):
            stamp = plan.core_stamp if plan is not None else None
            if stamp:
                work["coreMigrationVersion"] = stamp
            else:
                work.pop("coreMigrationVersion", None)
        if not work.get("typeMigrationVersion"):
            stamp = plan.type_version if plan is not None else None
            if stamp:
                work["typeMigrationVersion"] = stamp
            else:
                work.pop("typeMigrationVersion", None)
        return work  # type: ignore[return-value]


def _pending_transforms(
    plan: _TypePlan, type_version: Any, core_version: Any, convert: bool, target: str | None
) -> tuple[Transform, ...]:
    latest = plan.latest
    if not is_greater(latest.get(_CORE), core_version):
        if type_version is None:
            return ()
        if not (
            is_greater(target, type_version)
            or (
                convert
                and (
                    is_greater(latest.get(_CONVERT), type_version)
                    or is_greater(latest.get(_REFERENCE), core_version)
                )
            )
        ):
            return ()
    core_pending = is_greater(latest.get(_CORE), core_version)
    target_key = version_key(target) if target else None
    selected = []
    for transform in plan.transforms:
        kind = transform.kind
        if kind is _CORE:
            wanted = is_greater(transform.version, core_version)
        elif kind is _REFERENCE:
            wanted = (convert or core_pending) and is_greater(transform.version, core_version)
        elif kind is _CONVERT:
            wanted = (
                type_version is not None and convert and is_greater(transform.version, type_version)
            )
        else:
            wanted = (
                type_version is not None
                and target_key is not None
                and transform.key <= target_key
                and is_greater(transform.version, type_version)
            )
        if wanted:
            selected.append(transform)
    return tuple(selected)


def _check_not_newer(work: Mapping[str, Any], latest: str, type_name: Any, current: Any) -> None:
    """Refuse a document left newer than ``latest`` once upgraded.

    Newest Kibana: a release that does not know a type's model versions yet still reads
    its 10.1.0 documents, since a first model version may only add schemas."""
    if current == _TYPE_ONLY_FIRST_MODEL_VERSION and latest == "0.0.0":
        return
    if semver_gt(current, latest):
        raise DocumentVersionError(
            f"Document \"{work.get('id')}\" of type '{type_name}' belongs to a more "
            f"recent version of Kibana [{current}] when the last known version is "
            f"[{latest}].",
            type_name=type_name,
            object_id=work.get("id"),
            version=current,
        )


def _check_step(
    plan: _TypePlan,
    work: Mapping[str, Any],
    type_name: Any,
    version: str,
    previous: Any,
    advances_type: bool,
) -> None:
    """What a user step may not do to the document: move ``typeMigrationVersion`` back
    (steps that advance it) or change its type."""
    current = work.get("typeMigrationVersion")
    if current is not previous and advances_type and is_greater(previous, current):
        raise _downgrade_attempted(plan, work, type_name, version, previous, current)
    if work.get("type") != type_name:
        raise DocumentMigrationError(
            _TYPE_CHANGED, type_name=plan.name, object_id=work.get("id"), version=version
        )


def _downgrade_attempted(
    plan: _TypePlan,
    work: Mapping[str, Any],
    type_name: Any,
    version: str,
    previous: Any,
    current: Any,
) -> DocumentMigrationError:
    return DocumentMigrationError(
        f'Migration "{type_name} v{version}" attempted to downgrade "typeMigrationVersion" '
        f"from {previous} to {'undefined' if current is None else current}.",
        type_name=plan.name,
        object_id=work.get("id"),
        version=version,
    )


def _document_type_version(doc: Mapping[str, Any]) -> Any:
    """``typeMigrationVersion``, else the legacy ``migrationVersion[<type>]``."""
    version = doc.get("typeMigrationVersion")
    if version is None:
        legacy = doc.get("migrationVersion")
        if isinstance(legacy, Mapping):
            version = legacy.get(doc.get("type"))
    return version


def _downgrade_required(doc: Mapping[str, Any], plan: _TypePlan | None, target: str | None) -> bool:
    if plan is None:
        return False
    version = doc.get("typeMigrationVersion")
    if version is None:
        version = _document_type_version(doc)
    if not version:
        return False
    if target is not None:
        return bool(target) and semver_gt(version, target)
    if type(version) is str:
        newer = plan.newer.get(version)
        if newer is None:
            newer = bool(plan.type_version) and semver_gt(version, plan.type_version)
            if len(plan.newer) < _MAX_CACHED:
                plan.newer[version] = newer
        return newer
    return bool(plan.type_version) and semver_gt(version, plan.type_version)


def _invalid_version_error(doc: Mapping[str, Any], value: object) -> DocumentVersionError:
    type_name = doc.get("type")
    legacy = doc.get("migrationVersion")
    if value == doc.get("typeMigrationVersion"):
        field_name = "typeMigrationVersion"
    elif isinstance(legacy, Mapping) and value == legacy.get(type_name):
        field_name = f"migrationVersion.{type_name}"
    else:
        field_name = "typeMigrationVersion"
    return DocumentVersionError(
        f'Document "{doc.get("id")}" has an invalid "{field_name}" [{value}]. '
        "This must be a semver value.",
        type_name=type_name,
        object_id=doc.get("id"),
        version=str(value),
    )


def _forward_compatibility_schemas(definition: SavedObjectsType) -> dict[str, AttributesFn]:
    model_versions: Mapping[int, ModelVersion] = definition.model_versions or {}  # type: ignore[assignment]
    schemas: dict[str, AttributesFn] = {}
    for number, model_version in model_versions.items():
        schema = model_version.schemas.forward_compatibility if model_version.schemas else None
        if schema is not None:
            schemas[model_version_to_virtual_version(number)] = forward_compatibility_fn(
                schema, type_name=definition.name, model_version=int(number)
            )
    return schemas


def _check_not_newer_than_stack(definition: SavedObjectsType, stack_version: str) -> None:
    """Kibana checks legacy migrations and conversions against the running version when
    the migrator is prepared; the registry did so only against its own stack version."""
    name = definition.name
    stack = version_key(stack_version)
    if isinstance(definition.migrations, Mapping):
        for version in definition.migrations:
            if version_key(version) > stack:
                raise TypeRegistrationError(
                    f"Invalid migration for type {name}. Property '{version}' cannot be greater "
                    f"than the current Kibana version '{stack_version}'.",
                    metadata={"type": name},
                )
    convert = definition.convert_to_multi_namespace_type_version
    if convert and version_key(convert) > stack:
        raise TypeRegistrationError(
            f"Invalid convertToMultiNamespaceTypeVersion for type {name}. Value '{convert}' "
            f"cannot be greater than the current Kibana version '{stack_version}'.",
            metadata={"type": name},
        )
