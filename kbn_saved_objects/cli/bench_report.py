"""The report of ``kbn-so bench``, without any I/O: which benchmarks exist and how their
figures read, the targets of issue #20, the report model, ``--compare`` and the Markdown.

:mod:`kbn_saved_objects.cli.bench` runs the scripts and writes the files; everything it
decides from the figures lives here, so that the report, the docs and the tests read one
table of targets (:data:`BENCHMARKS`).

Every figure is a ratio of our path against the engine (or a plain loop) doing the same
work in the same run: absolute rates depend on the machine, ratios much less, so targets
and regressions are judged on ratios (the only absolute bounds are the document
migrator's rate on up-to-date documents and the index migrator's peak RSS).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, ValidationError

__all__ = [
    "BENCHMARKS",
    "REPORT_FORMAT",
    "Benchmark",
    "BenchmarkFailure",
    "Check",
    "Comparison",
    "ComparedRow",
    "Machine",
    "MeasuredPath",
    "Report",
    "ReportFormatError",
    "ResultFormatError",
    "Row",
    "Target",
    "compare_reports",
    "load_report",
    "render_markdown",
    "rows_from_result",
]

REPORT_FORMAT = "kbn-so-bench-report/1"
"""The ``format`` of report.json; ``--compare`` reads only reports of this format."""


# -- what is measured, and the targets ----------------------------------------------------


@dataclass(frozen=True)
class Target:
    """One bound a path must meet: ``ratio`` and ``rate`` are lower bounds (ours vs its
    baseline, objects/s), ``peak_rss_mb`` an upper bound."""

    measure: Literal["ratio", "rate", "peak_rss_mb"]
    bound: float

    def describe(self, baseline: str) -> str:
        if self.measure == "ratio":
            return f">= {self.bound:g}x {baseline}"
        if self.measure == "rate":
            return f">= {self.bound:,.0f}/s"
        return f"peak RSS < {self.bound:g} MB"

    def value_of(self, row: Row) -> float | None:
        if self.measure == "ratio":
            return row.ratio
        if self.measure == "rate":
            return row.objects_per_s
        return row.peak_rss_mb

    def holds(self, value: float) -> bool:
        return value < self.bound if self.measure == "peak_rss_mb" else value >= self.bound


@dataclass(frozen=True)
class MeasuredPath:
    """One of our paths in a script's results (``ours``), the key of its baseline in the
    same results (``baseline``), and the targets it is held to."""

    ours: str
    baseline: str
    targets: tuple[Target, ...] = ()
    label: str = ""

    @property
    def name(self) -> str:
        return self.label or self.ours


@dataclass(frozen=True)
class Benchmark:
    """A script of ``benchmarks/`` and how its results JSON reads.

    ``rates_key`` names the object of ``{path: objects/s}`` in the results; ``"rows"``
    means the index migrator's ``{path: {"docs_per_s", "peak_rss_mb", ...}}``.
    ``max_scale`` is the largest object count the script accepts (``None``: any)."""

    name: str
    script: str
    rates_key: str
    paths: tuple[MeasuredPath, ...]
    needs_engine: bool = True
    max_scale: int | None = None
    description: str = ""


def _ratio(bound: float) -> tuple[Target, ...]:
    return (Target("ratio", bound),)


_RSS_300 = Target("peak_rss_mb", 300)

BENCHMARKS: dict[str, Benchmark] = {
    b.name: b
    for b in (
        Benchmark(
            "repository_bulk",
            "bench_repository_bulk.py",
            "objects_per_s",
            (
                MeasuredPath("bulk_create", "raw _bulk", _ratio(0.9)),
                MeasuredPath("bulk_get", "raw _mget", _ratio(0.85)),
                MeasuredPath("bulk_update", "raw _bulk update", _ratio(0.85)),
            ),
            description="repository bulk_create / bulk_get / bulk_update of small objects",
        ),
        Benchmark(
            "search",
            "bench_search.py",
            "rates",
            (
                MeasuredPath("find repository", "find raw", _ratio(0.9), "find, a page of 1000"),
                MeasuredPath("page search", "page raw", _ratio(0.9), "search, a page of 1000"),
                MeasuredPath("aggs search", "aggs raw", (), "search, aggregations only"),
                MeasuredPath("scan search", "scan raw", (), "search, point-in-time walk"),
            ),
            description="find and search of a page of 1000 hits, aggregations, a "
            "point-in-time walk",
        ),
        Benchmark(
            "pit_finder",
            "bench_pit_finder.py",
            "docs_per_s",
            (MeasuredPath("point-in-time finder", "raw PIT + search_after", _ratio(0.9)),),
            description="the point-in-time finder over every object",
        ),
        Benchmark(
            "import_export",
            "bench_import_export.py",
            "objects_per_s",
            (
                MeasuredPath("import", "raw import", _ratio(0.9)),
                MeasuredPath("export", "raw scan", _ratio(0.9)),
            ),
            description="NDJSON import and export",
        ),
        Benchmark(
            "index_migration",
            "bench_index_migration.py",
            "rows",
            (
                MeasuredPath(
                    "migrator, reindex", "_reindex (server-side)", (Target("ratio", 0.95), _RSS_300)
                ),
                MeasuredPath(
                    "migrator, in-place",
                    "_update_by_query (in place)",
                    (Target("ratio", 0.9), _RSS_300),
                ),
                MeasuredPath("migrator, server-side copy", "_reindex (server-side)", (_RSS_300,)),
                MeasuredPath(
                    "migrator, zdt", "_update_by_query (in place)", (Target("ratio", 0.9), _RSS_300)
                ),
                MeasuredPath(
                    "client rewrite (in place)",
                    "_update_by_query (in place)",
                    (),
                    "client-side ceiling: PIT read + _bulk write back, no transform",
                ),
                MeasuredPath(
                    "client copy (reindex)",
                    "_reindex (server-side)",
                    (),
                    "client-side ceiling: PIT read + _bulk into a new index, no transform",
                ),
            ),
            description="the index migrator's reindex, in-place, server-side-copy and ZDT "
            "paths, and the ceiling of any client-side rewrite",
        ),
        Benchmark(
            "document_migrator",
            "bench_document_migrator.py",
            "docs_per_cpu_s",
            (
                MeasuredPath("migrate, outdated", "naive chain", _ratio(0.5)),
                MeasuredPath("migrate_and_convert, outdated", "naive chain", _ratio(0.5)),
                MeasuredPath("migrate, up to date", "dict copy", (Target("rate", 2_000_000),)),
            ),
            needs_engine=False,
            description="the document migrator on in-memory documents (per CPU second)",
        ),
        Benchmark(
            "extensions",
            "bench_extensions.py",
            "objects_per_s",
            (
                MeasuredPath("bulk_create client", "bulk_create bare", _ratio(0.85)),
                MeasuredPath("bulk_get client", "bulk_get bare", _ratio(0.85)),
                MeasuredPath("find client", "find bare", _ratio(0.85)),
            ),
            description="a scoped client with security, encryption and spaces vs the bare "
            "repository",
        ),
        Benchmark(
            "engine_bulk",
            "bench_engine_bulk.py",
            "docs_per_s",
            (MeasuredPath("engine layer", "client helpers.bulk"),),
            description="bulk indexing through the engine layer",
        ),
        Benchmark(
            "http",
            "bench_http.py",
            "objects_per_s",
            (
                MeasuredPath("bulk_get http", "bulk_get python"),
                MeasuredPath("find http", "find python"),
            ),
            max_scale=10_000,
            description="_bulk_get and _find over HTTP vs the Python API",
        ),
    )
}
"""Every benchmark ``kbn-so bench`` runs, in report order, with its targets."""


# -- the report model ---------------------------------------------------------------------


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Check(_Model):
    """A target applied to a row: what it asked, the value measured, and the verdict."""

    target: str
    measure: Literal["ratio", "rate", "peak_rss_mb"]
    bound: float
    value: float | None
    passed: bool | None
    """``None`` when the value was not measured (peak RSS on a platform without it)."""


class Row(_Model):
    """One of our paths at one scale, with its baseline from the same run."""

    benchmark: str
    path: str
    scale: int
    objects_per_s: float
    baseline: str
    baseline_objects_per_s: float
    ratio: float
    peak_rss_mb: float | None = None
    checks: list[Check] = []

    @property
    def key(self) -> tuple[str, str, int]:
        return (self.benchmark, self.path, self.scale)

    @property
    def passed(self) -> bool | None:
        """``None`` when the row has no target; else whether every measured check holds."""
        verdicts = [c.passed for c in self.checks if c.passed is not None]
        return all(verdicts) if verdicts else None


class BenchmarkFailure(_Model):
    """A script that failed (or was skipped) at a scale; the report says so instead of
    leaving the row out silently."""

    benchmark: str
    scale: int
    error: str
    skipped: bool = False


class Machine(_Model):
    cpus: int | None
    python: str
    platform: str


class ComparedRow(_Model):
    benchmark: str
    path: str
    scale: int
    old_ratio: float
    new_ratio: float
    ratio_delta_pct: float
    old_objects_per_s: float
    new_objects_per_s: float
    objects_per_s_delta_pct: float
    regressed: bool


class Comparison(_Model):
    """The rows of this report that the earlier one also has, with their deltas."""

    against: str
    against_version: str
    against_commit: str | None
    threshold_pct: float
    rows: list[ComparedRow]
    only_new: list[str] = []
    only_old: list[str] = []

    @property
    def regressions(self) -> list[ComparedRow]:
        return [row for row in self.rows if row.regressed]


class Report(_Model):
    """What report.json holds (format :data:`REPORT_FORMAT`)."""

    format: Literal["kbn-so-bench-report/1"] = "kbn-so-bench-report/1"
    library_version: str
    git_commit: str | None
    engine: str | None
    machine: Machine
    date: str
    scales: list[int]
    rounds: int | None
    benchmarks: list[str]
    rows: list[Row]
    failures: list[BenchmarkFailure] = []
    comparison: Comparison | None = None

    @property
    def failed_targets(self) -> list[Row]:
        return [row for row in self.rows if row.passed is False]


class ResultFormatError(ValueError):
    """A script's results JSON lacks a figure the report needs (a script changed its
    output without this module following)."""


class ReportFormatError(ValueError):
    """A file given to ``--compare`` is not a report of :data:`REPORT_FORMAT`."""


# -- results -> rows ------------------------------------------------------------------------


def _rates(benchmark: Benchmark, result: Mapping[str, Any]) -> dict[str, tuple[Any, Any]]:
    """``{path: (objects/s, peak RSS MB or None)}`` from one script's results."""
    found = result.get(benchmark.rates_key)
    if not isinstance(found, Mapping):
        raise ResultFormatError(f"{benchmark.name}: no {benchmark.rates_key!r} in its results")
    if benchmark.rates_key == "rows":
        return {
            name: (row.get("docs_per_s"), row.get("peak_rss_mb"))
            for name, row in found.items()
            if isinstance(row, Mapping)
        }
    return {name: (value, None) for name, value in found.items()}


def _number(benchmark: Benchmark, name: str, value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value <= 0:
        raise ResultFormatError(f"{benchmark.name}: no rate for {name!r} in its results")
    return float(value)


def rows_from_result(
    benchmark: Benchmark,
    scale: int,
    result: Mapping[str, Any],
    *,
    process_peak_rss_mb: float | None = None,
) -> list[Row]:
    """The rows of one script's results at one scale, with their checks.

    A path's peak RSS is the one the script measured for it (the index migrator runs each
    path in a process of its own), else ``process_peak_rss_mb``: that of the script's
    whole process, which holds the path and its baseline alike."""
    rates = _rates(benchmark, result)
    rows = []
    for path in benchmark.paths:
        if path.ours not in rates or path.baseline not in rates:
            missing = path.ours if path.ours not in rates else path.baseline
            raise ResultFormatError(f"{benchmark.name}: no rate for {missing!r} in its results")
        ours, own_rss = rates[path.ours]
        base, _ = rates[path.baseline]
        ours = _number(benchmark, path.ours, ours)
        base = _number(benchmark, path.baseline, base)
        rss = float(own_rss) if isinstance(own_rss, (int, float)) else process_peak_rss_mb
        row = Row(
            benchmark=benchmark.name,
            path=path.name,
            scale=scale,
            objects_per_s=ours,
            baseline=path.baseline,
            baseline_objects_per_s=base,
            ratio=ours / base,
            peak_rss_mb=rss,
        )
        checks = []
        for target in path.targets:
            value = target.value_of(row)
            checks.append(
                Check(
                    target=target.describe(path.baseline),
                    measure=target.measure,
                    bound=target.bound,
                    value=value,
                    passed=None if value is None else target.holds(value),
                )
            )
        rows.append(row.model_copy(update={"checks": checks}))
    return rows


# -- compare --------------------------------------------------------------------------------


def load_report(text: str, source: str = "the report") -> Report:
    """A report read back for ``--compare``; anything else is a :class:`ReportFormatError`
    saying what the file is instead."""
    try:
        data = json.loads(text)
    except ValueError as exc:
        raise ReportFormatError(f"{source} is not JSON: {exc}") from exc
    if not isinstance(data, dict):
        raise ReportFormatError(f"{source} is not a kbn-so bench report (not a JSON object)")
    if data.get("format") != REPORT_FORMAT:
        found = data.get("format")
        what = f"format {found!r}" if found is not None else "no format field"
        raise ReportFormatError(
            f"{source} is not a kbn-so bench report of format {REPORT_FORMAT!r} ({what}): "
            "give the report.json that `kbn-so bench` wrote"
        )
    try:
        return Report.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(part) for part in first["loc"])
        raise ReportFormatError(
            f"{source} is not a valid kbn-so bench report: {where}: {first['msg']}"
        ) from exc


def _delta_pct(old: float, new: float) -> float:
    return (new - old) / old * 100 if old else 0.0


def _label(key: tuple[str, str, int]) -> str:
    return f"{key[0]} / {key[1]} @ {key[2]:,}"


def compare_reports(
    old: Report, new: Report, *, threshold_pct: float = 10.0, against: str = "old report"
) -> Comparison:
    """Deltas of the rows both reports have. A row regressed when its ratio fell by more
    than ``threshold_pct`` percent: the ratio, not the rate, since both reports may come
    from different machines or loads, and the baseline ran beside it each time."""
    before = {row.key: row for row in old.rows}
    after = {row.key: row for row in new.rows}
    rows = []
    for key, now in after.items():
        then = before.get(key)
        if then is None:
            continue
        ratio_delta = _delta_pct(then.ratio, now.ratio)
        rows.append(
            ComparedRow(
                benchmark=now.benchmark,
                path=now.path,
                scale=now.scale,
                old_ratio=then.ratio,
                new_ratio=now.ratio,
                ratio_delta_pct=ratio_delta,
                old_objects_per_s=then.objects_per_s,
                new_objects_per_s=now.objects_per_s,
                objects_per_s_delta_pct=_delta_pct(then.objects_per_s, now.objects_per_s),
                regressed=ratio_delta < -threshold_pct,
            )
        )
    return Comparison(
        against=against,
        against_version=old.library_version,
        against_commit=old.git_commit,
        threshold_pct=threshold_pct,
        rows=rows,
        only_new=[_label(k) for k in after if k not in before],
        only_old=[_label(k) for k in before if k not in after],
    )


# -- Markdown -------------------------------------------------------------------------------


def _verdict(row: Row) -> str:
    if not row.checks:
        return ""
    parts = []
    for check in row.checks:
        mark = "n/a" if check.passed is None else ("pass" if check.passed else "**FAIL**")
        parts.append(mark)
    return ", ".join(parts)


def _table(head: Sequence[str], lines: Iterable[Sequence[str]]) -> list[str]:
    out = ["| " + " | ".join(head) + " |", "|" + "|".join("---" for _ in head) + "|"]
    out += ["| " + " | ".join(cells) + " |" for cells in lines]
    return out


def _rss(value: float | None) -> str:
    return "" if value is None else f"{value:,.0f}"


def render_markdown(report: Report, *, plot: str | None = None) -> str:
    """report.md: a header naming what ran where, one table of every row with its targets,
    the failures, and the comparison when there is one. Pasteable into an issue."""
    commit = f" ({report.git_commit[:12]})" if report.git_commit else ""
    lines = [
        f"# kbn-so bench: kbn_saved_objects {report.library_version}{commit}",
        "",
        f"- engine: {report.engine or 'none (no benchmark needed one)'}",
        f"- machine: {report.machine.cpus} CPUs, Python {report.machine.python}, "
        f"{report.machine.platform}",
        f"- date: {report.date}",
        f"- objects: {', '.join(f'{s:,}' for s in report.scales)}; rounds: "
        f"{report.rounds if report.rounds is not None else 'each script default'}",
        "",
        "Rates are objects per second (the document migrator's per CPU second); a ratio is "
        "our path over its baseline, measured in the same run.",
        "",
    ]
    lines += _table(
        (
            "benchmark",
            "path",
            "objects",
            "objects/s",
            "baseline",
            "baseline/s",
            "ratio",
            "target",
            "result",
            "peak RSS MB",
        ),
        (
            (
                row.benchmark,
                row.path,
                f"{row.scale:,}",
                f"{row.objects_per_s:,.0f}",
                row.baseline,
                f"{row.baseline_objects_per_s:,.0f}",
                f"{row.ratio:.2f}",
                "; ".join(check.target for check in row.checks),
                _verdict(row),
                _rss(row.peak_rss_mb),
            )
            for row in report.rows
        ),
    )
    failed = report.failed_targets
    lines += [
        "",
        f"{len(failed)} of {sum(1 for r in report.rows if r.checks)} rows with a target missed it."
        if failed
        else "Every row with a target met it.",
    ]
    if report.failures:
        lines += ["", "## Not measured", ""]
        for failure in report.failures:
            kind = "skipped" if failure.skipped else "failed"
            lines.append(f"- {failure.benchmark} @ {failure.scale:,} {kind}: {failure.error}")
    if report.comparison is not None:
        lines += ["", *_comparison_lines(report.comparison)]
    if plot:
        lines += ["", f"![throughput and peak RSS]({plot})"]
    return "\n".join(lines) + "\n"


def _comparison_lines(comparison: Comparison) -> list[str]:
    commit = f" ({comparison.against_commit[:12]})" if comparison.against_commit else ""
    lines = [
        f"## Compared with {comparison.against_version}{commit}",
        "",
        f"Against `{comparison.against}`; a ratio that fell by more than "
        f"{comparison.threshold_pct:g}% is a regression.",
        "",
    ]
    lines += _table(
        ("benchmark", "path", "objects", "old ratio", "new ratio", "delta", "objects/s delta", ""),
        (
            (
                row.benchmark,
                row.path,
                f"{row.scale:,}",
                f"{row.old_ratio:.2f}",
                f"{row.new_ratio:.2f}",
                f"{row.ratio_delta_pct:+.1f}%",
                f"{row.objects_per_s_delta_pct:+.1f}%",
                "**regression**" if row.regressed else "",
            )
            for row in comparison.rows
        ),
    )
    regressions = comparison.regressions
    lines += ["", f"{len(regressions)} regression(s)." if regressions else "No regression."]
    if comparison.only_new:
        lines.append(f"Only in this report: {', '.join(comparison.only_new)}.")
    if comparison.only_old:
        lines.append(f"Only in the earlier report: {', '.join(comparison.only_old)}.")
    return lines
