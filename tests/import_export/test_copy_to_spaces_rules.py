"""The pure rules of copying to spaces: Kibana's route checks and messages, which
exported objects go to which space, and the per-space answers. No engine."""

from __future__ import annotations

from typing import Any

import pytest

from kbn_saved_objects.errors import BadRequestError, ConflictError
from kbn_saved_objects.import_export.copy_to_spaces import (
    MAX_COPY_OBJECTS,
    MAX_COPY_SPACES,
    MAX_RETRIES_PER_SPACE,
    CopyRequestError,
    CopySourceNotFoundError,
    eligible_objects,
    empty_failure_response,
    ineligible_types,
    not_found_error,
    objects_for_space,
    space_result,
    validate_copy_request,
    validate_resolve_copy_request,
)
from kbn_saved_objects.import_export.errors import SavedObjectsExportError
from kbn_saved_objects.types import (
    SavedObjectsType,
    SavedObjectsTypeManagement,
    SavedObjectTypeRegistry,
)

OBJ = [{"type": "dashboard", "id": "d"}]
COPY_FLAGS: dict[str, bool] = {
    "overwrite": False,
    "create_new_copies": True,
    "compatibility_mode": False,
}


def _copy_error(objects: Any = OBJ, spaces: Any = ("a",), **flags: bool) -> CopyRequestError:
    with pytest.raises(CopyRequestError) as caught:
        validate_copy_request(objects, spaces, **{**COPY_FLAGS, **flags})
    assert isinstance(caught.value, BadRequestError)
    assert caught.value.status_code == 400
    return caught.value


def test_a_valid_copy_request_is_returned_plain() -> None:
    objects = [{"type": "dashboard", "id": "d", "extra": 1}]
    assert validate_copy_request(objects, ["a", "b_1", "c-2"], **COPY_FLAGS) == (
        [{"type": "dashboard", "id": "d"}],
        ["a", "b_1", "c-2"],
    )


@pytest.mark.parametrize(
    ("objects", "spaces", "flags", "message"),
    [
        (OBJ, ["a", "Bad!"], {}, '[spaces.1]: lower case, a-z, 0-9, "_", and "-" are allowed'),
        (OBJ, [""], {}, '[spaces.0]: lower case, a-z, 0-9, "_", and "-" are allowed'),
        (OBJ, ["*"], {}, '[spaces.0]: lower case, a-z, 0-9, "_", and "-" are allowed'),
        (OBJ, [7], {}, "[spaces.0]: expected value of type [string] but got [7]"),
        (OBJ, "a", {}, "[spaces]: expected value of type [array] but got [string]"),
        (OBJ, ["a", "a"], {}, "[spaces]: duplicate space ids are not allowed"),
        (
            OBJ,
            [f"s{n}" for n in range(MAX_COPY_SPACES + 1)],
            {},
            "[spaces]: array size is [101], but cannot be greater than [100]",
        ),
        ([*OBJ, *OBJ], ["a"], {}, "[objects]: duplicate objects are not allowed"),
        (
            [{"type": "d", "id": str(n)} for n in range(MAX_COPY_OBJECTS + 1)],
            ["a"],
            {},
            "[objects]: array size is [1001], but cannot be greater than [1000]",
        ),
        ([{"type": "d"}], ["a"], {}, "[objects.0.id]: expected value of type [string] but got"),
        (["d"], ["a"], {}, "[objects.0]: expected a value of type [object]"),
        (OBJ, ["a"], {"overwrite": True}, "cannot use [overwrite] with [createNewCopies]"),
        (
            OBJ,
            ["a"],
            {"compatibility_mode": True},
            "cannot use [compatibilityMode] with [createNewCopies]",
        ),
    ],
)
def test_copy_request_refusals_use_kibanas_messages(
    objects: Any, spaces: Any, flags: dict[str, bool], message: str
) -> None:
    assert _copy_error(objects, spaces, **flags).message.startswith(message)


def test_overwrite_and_compatibility_mode_need_new_copies_off() -> None:
    flags = {"overwrite": True, "create_new_copies": False, "compatibility_mode": True}
    assert validate_copy_request(OBJ, ["a"], **flags)[1] == ["a"]


def test_resolve_request_adds_empty_reference_replacements() -> None:
    objects, retries = validate_resolve_copy_request(
        OBJ,
        {"a": [{"type": "dashboard", "id": "d", "destinationId": "x"}], "b": []},
        create_new_copies=False,
        compatibility_mode=True,
    )
    assert objects == OBJ
    assert retries == {
        "a": [
            {
                "type": "dashboard",
                "id": "d",
                "overwrite": False,
                "destinationId": "x",
                "replaceReferences": [],
            }
        ],
        "b": [],
    }


@pytest.mark.parametrize(
    ("retries", "flags", "message"),
    [
        ({"Nope!": []}, {}, "[retries.Nope!]: Invalid space id: Nope!"),
        ([], {}, "[retries]: expected a value of type [object]"),
        ({"a": "x"}, {}, "[retries.a]: expected value of type [array]"),
        ({"a": ["x"]}, {}, "[retries.a.0]: expected a value of type [object]"),
        (
            {"a": [{"type": "d", "id": "1", "replaceReferences": []}]},
            {},
            "[retries.a.0.replaceReferences]: definition for this key is missing",
        ),
        (
            {"a": [{"type": "d", "id": str(n)} for n in range(MAX_RETRIES_PER_SPACE + 1)]},
            {},
            "[retries.a]: array size is [1001], but cannot be greater than [1000]",
        ),
        ({"a": []}, {"compatibility_mode": True}, "cannot use [createNewCopies] with"),
    ],
)
def test_resolve_request_refusals(retries: Any, flags: dict[str, bool], message: str) -> None:
    options = {"create_new_copies": True, "compatibility_mode": False, **flags}
    with pytest.raises(CopyRequestError) as caught:
        validate_resolve_copy_request(OBJ, retries, **options)
    assert caught.value.message.startswith(message)


def test_resolve_request_checks_objects_too() -> None:
    with pytest.raises(CopyRequestError, match="duplicate objects"):
        validate_resolve_copy_request(
            [*OBJ, *OBJ], {}, create_new_copies=True, compatibility_mode=False
        )


def test_namespace_agnostic_importable_types_are_ineligible() -> None:
    registry = SavedObjectTypeRegistry()
    importable = SavedObjectsTypeManagement(importable_and_exportable=True)
    for name, namespace_type, management in [
        ("global", "agnostic", importable),
        ("global-internal", "agnostic", None),
        ("dashboard", "multiple-isolated", importable),
        ("config", "single", importable),
    ]:
        registry.register(
            SavedObjectsType(
                name=name,
                namespace_type=namespace_type,  # type: ignore[arg-type]
                mappings={"properties": {}},
                management=management,
            )
        )
    assert ineligible_types(registry.freeze()) == {"global"}


def test_eligible_objects_leave_out_ineligible_types_and_objects_in_every_space() -> None:
    exported = [
        {"type": "dashboard", "id": "1", "namespaces": ["s"]},
        {"type": "global", "id": "2"},
        {"type": "sharedtype", "id": "3", "namespaces": ["*"]},
        {"type": "dashboard", "id": "4"},
    ]
    assert [o["id"] for o in eligible_objects(exported, frozenset({"global"}))] == ["1", "4"]


def test_objects_for_space_skip_those_already_there_and_drop_namespaces() -> None:
    objects = [
        {"type": "d", "id": "1", "namespaces": ["src"]},
        {"type": "d", "id": "2", "namespaces": ["src", "a"]},
        {"type": "d", "id": "3"},
    ]
    assert objects_for_space(objects, "a") == [{"type": "d", "id": "1"}, {"type": "d", "id": "3"}]
    assert [o["id"] for o in objects_for_space(objects, "src")] == ["3"]
    assert objects[0]["namespaces"] == ["src"]  # the export is reused for the next space


def test_space_result_keeps_kibanas_keys_only() -> None:
    response = {"success": True, "successCount": 0, "warnings": []}
    assert space_result(response) == {"success": True, "successCount": 0}
    full = {**response, "successResults": [1], "errors": [2]}
    assert space_result(full) == {
        "success": True,
        "successCount": 0,
        "successResults": [1],
        "errors": [2],
    }


def test_empty_failure_response_carries_the_error_payload() -> None:
    assert empty_failure_response([ConflictError("taken")]) == {
        "success": False,
        "successCount": 0,
        "errors": [{"statusCode": 409, "error": "Conflict", "message": "taken"}],
    }


def test_fetch_errors_become_not_found_and_other_export_errors_stay() -> None:
    fetch = SavedObjectsExportError(
        "object-fetch-error",
        "Error fetching objects to export",
        {"objects": [{"id": "x", "type": "dashboard", "error": {"statusCode": 404}}]},
    )
    error = not_found_error(fetch)
    assert isinstance(error, CopySourceNotFoundError)
    assert error.payload()["attributes"] == {"objects": [{"id": "x", "type": "dashboard"}]}
    other = SavedObjectsExportError("invalid-transform-error", "dropped")
    assert not_found_error(other) is other
