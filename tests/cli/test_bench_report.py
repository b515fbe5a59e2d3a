"""The report of ``kbn-so bench`` without running anything: results -> rows and checks,
the targets of issue #20, ``--compare`` and the Markdown (cli/bench_report.py)."""

from __future__ import annotations

import json
from typing import Any

import pytest

from kbn_saved_objects.cli.bench_report import (
    BENCHMARKS,
    REPORT_FORMAT,
    BenchmarkFailure,
    Machine,
    Report,
    ReportFormatError,
    ResultFormatError,
    Row,
    compare_reports,
    load_report,
    render_markdown,
    rows_from_result,
)

REPOSITORY_BULK = {
    "engine": "OpenSearch 2.19.6",
    "docs": 1000,
    "objects_per_s": {
        "raw _bulk": 1000.0,
        "bulk_create": 950.0,
        "raw _mget": 2000.0,
        "bulk_get": 1000.0,
        "raw _bulk update": 800.0,
        "bulk_update": 680.0,
    },
}

INDEX_MIGRATION = {
    "rows": {
        "_reindex (server-side)": {"docs_per_s": 10_000.0, "peak_rss_mb": 40.0},
        "_update_by_query (in place)": {"docs_per_s": 8_000.0, "peak_rss_mb": 41.0},
        "migrator, reindex": {"docs_per_s": 9_600.0, "peak_rss_mb": 310.0},
        "migrator, in-place": {"docs_per_s": 7_000.0, "peak_rss_mb": 120.0},
        "migrator, server-side copy": {"docs_per_s": 9_900.0, "peak_rss_mb": 90.0},
        "migrator, zdt": {"docs_per_s": 7_400.0, "peak_rss_mb": 118.0},
        "client rewrite (in place)": {"docs_per_s": 7_600.0, "peak_rss_mb": 70.0},
        "client copy (reindex)": {"docs_per_s": 9_000.0, "peak_rss_mb": 70.0},
        "naive script": {"docs_per_s": 2_000.0, "peak_rss_mb": 60.0},
    }
}

DOCUMENT_MIGRATOR = {
    "docs_per_cpu_s": {
        "dict copy": 5_000_000.0,
        "naive chain": 900_000.0,
        "migrate, outdated": 460_000.0,
        "migrate_and_convert, outdated": 440_000.0,
        "migrate, up to date": 1_900_000.0,
    }
}


def by_path(rows: list[Row]) -> dict[str, Row]:
    return {row.path: row for row in rows}


def report(rows: list[Row], **changes: Any) -> Report:
    fields: dict[str, Any] = {
        "library_version": "0.1.0",
        "git_commit": "0123456789abcdef",
        "engine": "OpenSearch 2.19.6",
        "machine": Machine(cpus=2, python="3.11.7", platform="Linux"),
        "date": "2026-12-07T10:00:00+00:00",
        "scales": sorted({row.scale for row in rows}),
        "rounds": 1,
        "benchmarks": sorted({row.benchmark for row in rows}),
        "rows": rows,
    }
    return Report(**(fields | changes))


# -- the targets ----------------------------------------------------------------------------


def test_the_targets_of_the_issue_are_in_the_one_table() -> None:
    targets = {
        (name, path.name): [(t.measure, t.bound) for t in path.targets]
        for name, benchmark in BENCHMARKS.items()
        for path in benchmark.paths
    }
    assert targets[("repository_bulk", "bulk_get")] == [("ratio", 0.85)]
    assert targets[("repository_bulk", "bulk_create")] == [("ratio", 0.9)]
    assert targets[("repository_bulk", "bulk_update")] == [("ratio", 0.85)]
    assert targets[("search", "find, a page of 1000")] == [("ratio", 0.9)]
    assert targets[("search", "search, a page of 1000")] == [("ratio", 0.9)]
    assert targets[("pit_finder", "point-in-time finder")] == [("ratio", 0.9)]
    assert targets[("import_export", "import")] == [("ratio", 0.9)]
    assert targets[("import_export", "export")] == [("ratio", 0.9)]
    assert targets[("index_migration", "migrator, reindex")] == [
        ("ratio", 0.95),
        ("peak_rss_mb", 300),
    ]
    assert targets[("index_migration", "migrator, in-place")] == [
        ("ratio", 0.9),
        ("peak_rss_mb", 300),
    ]
    assert targets[("document_migrator", "migrate, outdated")] == [("ratio", 0.5)]
    assert targets[("document_migrator", "migrate, up to date")] == [("rate", 2_000_000)]


# -- results -> rows ------------------------------------------------------------------------


def test_rows_carry_the_ratio_against_the_baseline_and_the_verdict() -> None:
    rows = by_path(
        rows_from_result(
            BENCHMARKS["repository_bulk"], 1000, REPOSITORY_BULK, process_peak_rss_mb=80.0
        )
    )
    assert list(rows) == ["bulk_create", "bulk_get", "bulk_update"]
    create = rows["bulk_create"]
    assert (create.objects_per_s, create.baseline, create.baseline_objects_per_s) == (
        950.0,
        "raw _bulk",
        1000.0,
    )
    assert create.ratio == pytest.approx(0.95)
    assert create.checks[0].target == ">= 0.9x raw _bulk"
    assert create.passed is True
    assert rows["bulk_get"].ratio == pytest.approx(0.5)
    assert rows["bulk_get"].passed is False
    assert rows["bulk_update"].ratio == pytest.approx(0.85)
    assert rows["bulk_update"].passed is True  # the bound is inclusive
    assert {row.peak_rss_mb for row in rows.values()} == {80.0}
    assert {row.scale for row in rows.values()} == {1000}


def test_a_path_measured_in_its_own_process_keeps_its_own_peak_rss() -> None:
    rows = by_path(
        rows_from_result(
            BENCHMARKS["index_migration"], 5000, INDEX_MIGRATION, process_peak_rss_mb=999.0
        )
    )
    reindex = rows["migrator, reindex"]
    assert reindex.peak_rss_mb == 310.0
    assert reindex.ratio == pytest.approx(0.96)
    assert [c.passed for c in reindex.checks] == [True, False]  # fast enough, too big
    assert reindex.passed is False
    in_place = rows["migrator, in-place"]
    assert in_place.baseline == "_update_by_query (in place)"
    assert [c.passed for c in in_place.checks] == [False, True]
    assert rows["migrator, server-side copy"].passed is True
    assert rows["migrator, zdt"].ratio == pytest.approx(0.925)
    ceiling = rows["client-side ceiling: PIT read + _bulk write back, no transform"]
    assert ceiling.checks == []  # a reference, no target


def test_an_absolute_rate_target_is_checked_on_the_rate() -> None:
    rows = by_path(rows_from_result(BENCHMARKS["document_migrator"], 100, DOCUMENT_MIGRATOR))
    assert rows["migrate, outdated"].passed is True  # 0.51x the naive chain
    up_to_date = rows["migrate, up to date"]
    assert up_to_date.checks[0].target == ">= 2,000,000/s"
    assert up_to_date.checks[0].value == 1_900_000.0
    assert up_to_date.passed is False
    assert up_to_date.peak_rss_mb is None


def test_a_row_without_target_has_no_verdict() -> None:
    result = {"docs_per_s": {"engine layer": 10.0, "client helpers.bulk": 20.0}}
    (row,) = rows_from_result(BENCHMARKS["engine_bulk"], 10, result)
    assert row.checks == []
    assert row.passed is None


def test_an_unmeasured_peak_rss_is_no_verdict() -> None:
    figures = {
        name: {"docs_per_s": row["docs_per_s"]} for name, row in INDEX_MIGRATION["rows"].items()
    }
    rows = by_path(rows_from_result(BENCHMARKS["index_migration"], 10, {"rows": figures}))
    assert [c.passed for c in rows["migrator, reindex"].checks] == [True, None]
    assert rows["migrator, reindex"].passed is True
    assert rows["migrator, server-side copy"].passed is None


@pytest.mark.parametrize(
    ("result", "message"),
    [
        ({}, "repository_bulk: no 'objects_per_s' in its results"),
        ({"objects_per_s": []}, "repository_bulk: no 'objects_per_s' in its results"),
        (
            {"objects_per_s": {"raw _bulk": 1.0, "bulk_create": 1.0, "raw _mget": 1.0}},
            "repository_bulk: no rate for 'bulk_get' in its results",
        ),
        (
            {"objects_per_s": {**REPOSITORY_BULK["objects_per_s"], "bulk_get": "fast"}},
            "repository_bulk: no rate for 'bulk_get' in its results",
        ),
        (
            {"objects_per_s": {**REPOSITORY_BULK["objects_per_s"], "raw _mget": 0}},
            "repository_bulk: no rate for 'raw _mget' in its results",
        ),
    ],
)
def test_results_missing_a_figure_are_a_typed_error(result: dict[str, Any], message: str) -> None:
    with pytest.raises(ResultFormatError) as caught:
        rows_from_result(BENCHMARKS["repository_bulk"], 10, result)
    assert str(caught.value) == message


# -- load_report ----------------------------------------------------------------------------


def test_a_report_reads_back_as_written() -> None:
    rows = rows_from_result(BENCHMARKS["repository_bulk"], 10, REPOSITORY_BULK)
    written = report(rows)
    text = written.model_dump_json()
    assert json.loads(text)["format"] == REPORT_FORMAT
    assert load_report(text) == written


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("{not json", "old.json is not JSON: "),
        ("[1, 2]", "old.json is not a kbn-so bench report (not a JSON object)"),
        (
            json.dumps(REPOSITORY_BULK),
            "old.json is not a kbn-so bench report of format 'kbn-so-bench-report/1' "
            "(no format field): give the report.json that `kbn-so bench` wrote",
        ),
        (
            json.dumps({"format": "kbn-so-bench-report/0"}),
            "old.json is not a kbn-so bench report of format 'kbn-so-bench-report/1' "
            "(format 'kbn-so-bench-report/0')",
        ),
        (
            json.dumps({"format": REPORT_FORMAT, "library_version": "0.1.0"}),
            "old.json is not a valid kbn-so bench report: git_commit: Field required",
        ),
    ],
)
def test_what_is_not_a_report_is_a_typed_error(text: str, message: str) -> None:
    with pytest.raises(ReportFormatError) as caught:
        load_report(text, "old.json")
    assert str(caught.value).startswith(message)


# -- compare --------------------------------------------------------------------------------


def shifted(rows: list[Row], factor: float) -> list[Row]:
    """The rows with our rate (so the ratio) multiplied by ``factor``."""
    return [
        row.model_copy(
            update={"objects_per_s": row.objects_per_s * factor, "ratio": row.ratio * factor}
        )
        for row in rows
    ]


def test_compare_gives_deltas_and_flags_a_ratio_that_fell_beyond_the_threshold() -> None:
    old_rows = rows_from_result(BENCHMARKS["repository_bulk"], 10, REPOSITORY_BULK)
    new_rows = [*shifted(old_rows[:1], 0.85), *shifted(old_rows[1:2], 0.95), old_rows[2]]
    comparison = compare_reports(
        report(old_rows), report(new_rows), threshold_pct=10, against="old/report.json"
    )
    rows = {row.path: row for row in comparison.rows}
    assert rows["bulk_create"].ratio_delta_pct == pytest.approx(-15)
    assert rows["bulk_create"].objects_per_s_delta_pct == pytest.approx(-15)
    assert rows["bulk_create"].regressed is True
    assert rows["bulk_get"].ratio_delta_pct == pytest.approx(-5)
    assert rows["bulk_get"].regressed is False
    assert rows["bulk_update"].ratio_delta_pct == 0
    assert [row.path for row in comparison.regressions] == ["bulk_create"]
    assert (comparison.against, comparison.against_version) == ("old/report.json", "0.1.0")
    assert comparison.only_new == comparison.only_old == []
    strict = compare_reports(report(old_rows), report(new_rows), threshold_pct=4)
    assert [row.path for row in strict.regressions] == ["bulk_create", "bulk_get"]


def test_compare_names_the_rows_only_one_report_has() -> None:
    old_rows = rows_from_result(BENCHMARKS["repository_bulk"], 10, REPOSITORY_BULK)
    new_rows = rows_from_result(BENCHMARKS["document_migrator"], 100, DOCUMENT_MIGRATOR)
    new_rows.append(old_rows[0])
    comparison = compare_reports(report(old_rows), report(new_rows))
    assert [row.path for row in comparison.rows] == ["bulk_create"]
    assert comparison.only_new[0] == "document_migrator / migrate, outdated @ 100"
    assert comparison.only_old == [
        "repository_bulk / bulk_get @ 10",
        "repository_bulk / bulk_update @ 10",
    ]


# -- Markdown -------------------------------------------------------------------------------


def test_the_markdown_is_one_table_with_targets_and_verdicts() -> None:
    rows = rows_from_result(
        BENCHMARKS["repository_bulk"], 1000, REPOSITORY_BULK, process_peak_rss_mb=80.4
    )
    rows += rows_from_result(
        BENCHMARKS["engine_bulk"],
        1000,
        {"docs_per_s": {"engine layer": 3.0, "client helpers.bulk": 2.0}},
    )
    text = render_markdown(report(rows), plot="report.png")
    assert text.startswith("# kbn-so bench: kbn_saved_objects 0.1.0 (0123456789ab)\n")
    assert "- engine: OpenSearch 2.19.6\n" in text
    assert (
        "| repository_bulk | bulk_get | 1,000 | 1,000 | raw _mget | 2,000 | 0.50 | "
        ">= 0.85x raw _mget | **FAIL** | 80 |"
    ) in text
    assert (
        "| engine_bulk | engine layer | 1,000 | 3 | client helpers.bulk | 2 | 1.50 |  |  |  |"
        in text
    )
    assert "1 of 3 rows with a target missed it." in text
    assert text.endswith("![throughput and peak RSS](report.png)\n")
    assert "## Compared with" not in text


def test_the_markdown_shows_the_comparison_and_what_was_not_measured() -> None:
    old_rows = rows_from_result(BENCHMARKS["repository_bulk"], 10, REPOSITORY_BULK)
    new = report(shifted(old_rows, 0.5))
    new = new.model_copy(
        update={
            "comparison": compare_reports(report(old_rows), new, against="a/report.json"),
            "failures": [
                BenchmarkFailure(
                    benchmark="http",
                    scale=100_000,
                    error="takes at most 10,000 objects",
                    skipped=True,
                ),
                BenchmarkFailure(
                    benchmark="search", scale=10, error="exit 1 (logs/search-10.log): boom"
                ),
            ],
        }
    )
    new = Report.model_validate(new.model_dump())
    text = render_markdown(new)
    assert "## Compared with 0.1.0 (0123456789ab)" in text
    assert (
        "| repository_bulk | bulk_create | 10 | 0.95 | 0.47 | -50.0% | -50.0% | **regression** |"
        in text
    )
    assert "3 regression(s)." in text
    assert "- http @ 100,000 skipped: takes at most 10,000 objects" in text
    assert "- search @ 10 failed: exit 1 (logs/search-10.log): boom" in text
    assert "![" not in text
