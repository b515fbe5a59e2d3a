"""Painless scripts run by the engine for the operations that change documents in place.

Each script is a constant whose inputs all come through ``params``: the engine compiles a
script source once and caches it, so a source that embedded values would be recompiled
(and count against the compilation rate limit) on every call. The sources are Kibana's,
reformatted; they run unchanged on Elasticsearch and OpenSearch.
"""

from __future__ import annotations

from kbn_saved_objects.types import LEGACY_URL_ALIAS_TYPE

__all__ = [
    "DELETE_BY_NAMESPACE",
    "DELETE_LEGACY_URL_ALIASES",
    "INCREMENT_COUNTER",
    "RECORD_ALIAS_RESOLVE",
    "REMOVE_REFERENCES_TO",
]

INCREMENT_COUNTER = """
if (ctx._source.type != params.type
    || (params.singleNamespace && ctx._source.namespace != params.namespace)) {
  ctx.op = 'none';
} else {
  for (int i = 0; i < params.counterFieldNames.length; i++) {
    def counterFieldName = params.counterFieldNames[i];
    def count = params.counts[i];
    if (ctx._source[params.type][counterFieldName] == null) {
      ctx._source[params.type][counterFieldName] = count;
    } else {
      ctx._source[params.type][counterFieldName] += count;
    }
  }
  ctx._source.updated_at = params.time;
}
"""
"""``increment_counter`` on an existing document (spec 03 §2.13). Params: ``type``,
``counterFieldNames``, ``counts`` (same length), ``time``, ``singleNamespace`` and
``namespace`` (the namespace id, ``null`` for the default space). A missing or ``null``
counter starts at its increment. When the document does not exist the engine inserts the
``upsert`` document instead and does not run the script. A document of another type (or,
for a single-namespace type, another space) that shares the raw id is left alone: the
update is a ``noop``, which the operation reports as a conflict. Kibana's script has no
such check and writes a counter into whatever object holds the id."""

DELETE_BY_NAMESPACE = """
if (!ctx._source.containsKey('namespaces')) {
  ctx.op = "delete";
} else {
  ctx._source['namespaces'].removeAll(Collections.singleton(params['namespace']));
  if (ctx._source['namespaces'].empty) {
    ctx.op = "delete";
  }
}
"""
"""``delete_by_namespace`` (spec 03 §2.11). Params: ``namespace``. Documents without
``namespaces`` (single-namespace objects of the space, legacy URL aliases targeting it)
are deleted; multi-namespace ones lose the space and are deleted when none is left. An
object shared to ``*`` keeps ``["*"]`` and survives."""

REMOVE_REFERENCES_TO = """
if (ctx._source.containsKey('references')) {
  def items_to_remove = [];
  for (item in ctx._source.references) {
    if ((item['type'] == params['type']) && (item['id'] == params['id'])) {
      items_to_remove.add(item);
    }
  }
  ctx._source.references.removeAll(items_to_remove);
}
"""
"""``remove_references_to`` (spec 03 §2.14). Params: ``type``, ``id``. Only references
matching both are removed."""

DELETE_LEGACY_URL_ALIASES = f"""
def alias = ctx._source['{LEGACY_URL_ALIAS_TYPE}'];
def byId = params['targets'][alias['targetType']];
def target = byId == null ? null : byId[alias['targetId']];
if (target == null) {{
  ctx.op = 'noop';
}} else if (target['namespaces'].contains(alias['targetNamespace']) == target['inclusive']) {{
  ctx.op = 'delete';
}} else {{
  ctx.op = 'noop';
}}
"""
"""Deleting the legacy URL aliases that point at deleted objects (spec 05 §5.4), for
several objects in one request. Params: ``targets`` = ``{type: {id: {namespaces,
inclusive}}}``. An alias is deleted when its ``targetNamespace`` is in ``namespaces``
(``inclusive``) or not in it (exclusive). Kibana's script handles one object per
request; keying by type and id lets ``bulk_delete`` clean up after all its objects with
one update-by-query instead of one per object."""

RECORD_ALIAS_RESOLVE = """
if (ctx._source[params.type].disabled != true) {
  if (ctx._source[params.type].resolveCounter == null) {
    ctx._source[params.type].resolveCounter = 1;
  } else {
    ctx._source[params.type].resolveCounter += 1;
  }
  ctx._source[params.type].lastResolved = params.time;
  ctx._source.updated_at = params.time;
}
"""
"""``resolve`` on a legacy URL alias (spec 05 §6.2). Params: ``type`` (the alias type),
``time``. An enabled alias counts one more resolve and records when; a disabled one is
left as it is (the update still returns its source, which tells the caller to ignore it)."""
