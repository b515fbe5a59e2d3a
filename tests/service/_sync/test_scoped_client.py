# Generated from the _async source by tests/codegen/run_unasync.py: do not edit.
"""The request-scoped client on the real engine: it acts in its request's space, its
extensions and hidden types are chosen per client, and import/export through it stay in
that space. (The async source of the generated sync twin.)"""

from __future__ import annotations

import json

import pytest

from kbn_saved_objects.errors import BadRequestError, NotFoundError, UnclassifiedError
from kbn_saved_objects.service import RequestContext, SavedObjectsServiceStart

pytestmark = pytest.mark.engine

IN_S1 = RequestContext(space_id="s1", request_id="req-s1")
IN_S2 = RequestContext(space_id="s2")
IN_DEFAULT = RequestContext()


def test_a_client_in_s1_writes_and_reads_in_s1(
    so_start: SavedObjectsServiceStart,
) -> None:
    client = so_start.get_scoped_client(IN_S1)
    dashboard = client.create("dashboard", {"title": "Ops"}, id="d1")
    note = client.create("note", {"title": "todo"}, id="n1")
    assert dashboard.namespaces == ["s1"]
    assert note.namespaces == ["s1"]
    assert (client.get("dashboard", "d1")).attributes == {"title": "Ops"}
    assert (client.find(type=["dashboard", "note"])).total == 2

    for elsewhere in (IN_DEFAULT, IN_S2):
        other = so_start.get_scoped_client(elsewhere)
        with pytest.raises(NotFoundError):
            other.get("note", "n1")
        assert (other.find(type=["dashboard", "note"])).total == 0

    # what the engine holds: the note's raw id carries the space
    internal = so_start.create_internal_repository()
    assert (internal.get("note", "n1", namespace="s1")).id == "n1"
    with pytest.raises(NotFoundError):
        internal.get("note", "n1")


def test_the_request_decides_the_space(
    so_start: SavedObjectsServiceStart,
) -> None:
    """As Kibana's spaces extension: a call may not name a namespace, and ``find``
    searches the existing spaces asked for (``*``: all of them), never a missing one."""
    client = so_start.get_scoped_client(IN_S1)
    client.create("note", {"title": "mine"}, id="n1")
    so_start.get_scoped_client(IN_S2).create("note", {"title": "theirs"}, id="n2")
    refused = "Namespace cannot be specified by the caller when the spaces extension"
    with pytest.raises(UnclassifiedError, match=refused):
        client.get("note", "n1", namespace="s2")
    with pytest.raises(UnclassifiedError, match=refused):
        client.create("note", {"title": "theirs"}, id="n3", namespace="s2")
    everywhere = client.find(type="note", namespaces=["*"])
    assert sorted((so.id, so.namespaces) for so in everywhere.saved_objects) == [
        ("n1", ["s1"]),
        ("n2", ["s2"]),
    ]
    only_s2 = client.find(type="note", namespaces=["s2", "no-such-space"])
    assert [so.id for so in only_s2.saved_objects] == ["n2"]
    assert (client.find(type="note", namespaces=["no-such-space"])).total == 0
    assert (client.find(type="note")).total == 1


def test_without_the_spaces_extension_a_client_addresses_any_space(
    so_start: SavedObjectsServiceStart,
) -> None:
    client = so_start.get_scoped_client(IN_S1, excluded_extensions=["spaces"])
    client.create("note", {"title": "default"}, id="n1")
    client.create("note", {"title": "s2"}, id="n1", namespace="s2")
    in_default = so_start.get_scoped_client(IN_DEFAULT)
    assert (in_default.get("note", "n1")).attributes == {"title": "default"}
    in_s2 = so_start.get_scoped_client(IN_S2)
    assert (in_s2.get("note", "n1")).attributes == {"title": "s2"}
    with pytest.raises(NotFoundError):
        so_start.get_scoped_client(IN_S1).get("note", "n1")


def test_hidden_types_are_reachable_only_by_clients_that_include_them(
    so_start: SavedObjectsServiceStart,
) -> None:
    with_secret = so_start.get_scoped_client(IN_S1, included_hidden_types=["secret"])
    created = with_secret.create("secret", {"title": "k"}, id="k1")
    assert created.namespaces == ["s1"]
    plain = so_start.get_scoped_client(IN_S1)
    with pytest.raises(NotFoundError):
        plain.get("secret", "k1")
    with pytest.raises(BadRequestError, match="Unsupported saved object type: 'secret'"):
        plain.create("secret", {"title": "k"}, id="k2")
    assert (with_secret.get("secret", "k1")).attributes == {"title": "k"}


def test_as_scoped_to_namespace_moves_the_client(
    so_start: SavedObjectsServiceStart,
) -> None:
    moved = so_start.get_scoped_client(IN_S1).as_scoped_to_namespace("s2")
    moved.create("note", {"title": "moved"}, id="n1")
    assert (so_start.get_scoped_client(IN_S2).get("note", "n1")).namespaces == ["s2"]
    with pytest.raises(NotFoundError):
        so_start.get_scoped_client(IN_S1).get("note", "n1")


def test_export_and_import_through_scoped_clients_stay_in_their_spaces(
    so_start: SavedObjectsServiceStart,
) -> None:
    in_default = so_start.get_scoped_client(IN_DEFAULT)
    in_default.create("note", {"title": "not exported"}, id="other")
    s1 = so_start.get_scoped_client(IN_S1)
    s1.create("note", {"title": "note"}, id="n1")
    s1.create(
        "dashboard",
        {"title": "Ops"},
        id="d1",
        references=[{"type": "note", "id": "n1", "name": "n"}],
    )

    exporter = so_start.create_exporter(s1)
    lines = [line for line in exporter.export_by_types(["dashboard", "note"])]
    exported = [json.loads(line) for line in lines[:-1]]
    assert sorted(o["id"] for o in exported) == ["d1", "n1"]
    assert json.loads(lines[-1])["exportedCount"] == 2

    s2 = so_start.get_scoped_client(IN_S2)
    importer = so_start.create_importer(s2)
    result = importer.import_([line + "\n" for line in lines])
    assert result["success"], result
    assert result["successCount"] == 2

    titles = {
        o.type: o.attributes["title"] for o in (s2.find(type=["dashboard", "note"])).saved_objects
    }
    assert titles == {"dashboard": "Ops", "note": "note"}
    assert all(o.namespaces == ["s2"] for o in (s2.find(type=["dashboard", "note"])).saved_objects)
    assert (s1.find(type=["dashboard", "note"])).total == 2
    assert (in_default.find(type=["dashboard", "note"])).total == 1
