"""``kbn-so bench`` (issue #20) run as a user runs it: usage errors, the report files,
``--compare``, failed scripts and the plot left out without matplotlib.

Most tests run stand-in scripts (``--benchmarks``) whose figures they choose, so that a
verdict or a regression is certain and no engine is needed; one runs the real document
migrator benchmark (no engine either) and one, engine-marked, the real repository one.
"""

from __future__ import annotations

import json
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest

from kbn_saved_objects.cli.bench_report import (
    BENCHMARKS,
    REPORT_FORMAT,
    Report,
    load_report,
)
from kbn_saved_objects.engine import Engine
from kbn_saved_objects.engine import requests as rq
from tests.cli.conftest import run_cli

RATES = {
    "dict copy": 5_000_000.0,
    "naive chain": 1_000_000.0,
    "migrate, outdated": 600_000.0,
    "migrate_and_convert, outdated": 550_000.0,
    "migrate, up to date": 3_000_000.0,
}

STAND_IN = """
import argparse, json, os, pathlib, sys

parser = argparse.ArgumentParser()
parser.add_argument("--docs", type=int, required=True)
parser.add_argument("--rounds", type=int, default=5)
args = parser.parse_args()
print(f"stand-in at {args.docs} objects, {args.rounds} rounds")
figures = json.loads((pathlib.Path(__file__).parent / "figures.json").read_text())
if figures == "fail":
    sys.exit("the stand-in broke")
out = pathlib.Path(os.environ["KBN_SO_BENCH_RESULTS"])
out.mkdir(parents=True, exist_ok=True)
(out / "document_migrator.json").write_text(json.dumps({"docs_per_cpu_s": figures}))
"""


def stand_in(folder: Path, figures: Any = RATES) -> Path:
    """A benchmarks/ folder whose document-migrator script reports ``figures``."""
    folder.mkdir(exist_ok=True)
    (folder / "_common.py").write_text("")
    (folder / "bench_document_migrator.py").write_text(textwrap.dedent(STAND_IN))
    (folder / "figures.json").write_text(json.dumps(figures))
    return folder


def bench(*args: str | Path) -> Any:
    return run_cli(["bench", *(str(a) for a in args)])


def read_report(out: Path) -> Report:
    return load_report((out / "report.json").read_text(), "report.json")


# -- usage errors (exit 2) -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--scale", "ten"], "Invalid value for --scale: expected object counts separated"),
        (["--scale", "0"], "Invalid value for --scale: object counts must be at least 1"),
        (["--scale", ","], "Invalid value for --scale: object counts must be at least 1"),
        (
            ["--only", "repository_bulk,nope"],
            "Invalid value for --only: unknown benchmark nope; one of repository_bulk, ",
        ),
        (["--fail-on-regression"], "--fail-on-regression only makes sense with --compare"),
        (["--rounds", "0"], "Invalid value for '--rounds'"),
        (["--compare", "/nonexistent/report.json"], "Invalid value for '--compare'"),
    ],
)
def test_bad_usage_exits_2(args: list[str], message: str) -> None:
    result = bench(*args)
    assert result.exit_code == 2, result.output
    assert message in result.output


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{", "old.json is not JSON"),
        (
            json.dumps({"objects_per_s": {"bulk_get": 1.0}}),
            f"old.json is not a kbn-so bench report of format '{REPORT_FORMAT}' (no format",
        ),
        (
            json.dumps({"format": REPORT_FORMAT, "rows": []}),
            "old.json is not a valid kbn-so bench report: library_version: Field required",
        ),
    ],
)
def test_a_compare_file_that_is_not_a_report_exits_2_before_anything_runs(
    tmp_path: Path, content: str, message: str
) -> None:
    old = tmp_path / "old.json"
    old.write_text(content)
    out = tmp_path / "out"
    result = bench("--compare", old, "--only", "document_migrator", "--out", out)
    assert result.exit_code == 2, result.output
    assert "Invalid value for --compare" in result.output
    assert message in result.output.replace("\n", " ").replace(f"{tmp_path}/", "")
    assert not out.exists()


def test_a_folder_without_the_scripts_is_refused(tmp_path: Path) -> None:
    result = bench("--benchmarks", tmp_path, "--only", "document_migrator")
    assert result.exit_code == 1, result.output
    assert f"no benchmark scripts in {tmp_path}" in result.output


def test_a_benchmark_on_an_engine_that_does_not_answer_exits_4(
    dead_engine_url: str, tmp_path: Path
) -> None:
    result = bench("--url", dead_engine_url, "--only", "repository_bulk", "--out", tmp_path / "o")
    assert result.exit_code == 4, result.output
    assert "Traceback" not in result.output
    assert (
        result.output.strip()
        .splitlines()[-1]
        .startswith(f"Error: cannot reach the engine at {dead_engine_url} (from --url)")
    )
    from_env = run_cli(
        ["bench", "--only", "repository_bulk", "--out", str(tmp_path / "o")],
        env={"KBN_SO_ENGINE_URL": dead_engine_url},
    )
    assert from_env.exit_code == 4, from_env.output
    assert f"at {dead_engine_url} (from KBN_SO_ENGINE_URL)" in from_env.output


def test_without_any_engine_a_benchmark_that_needs_one_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("KBN_SO_ENGINE_URL", raising=False)
    result = bench("--only", "pit_finder", "--out", tmp_path / "o")
    assert result.exit_code == 1, result.output
    assert "no engine: pass --url" in result.output


# -- the report ----------------------------------------------------------------------------


def test_the_report_holds_every_scale_and_the_three_files_agree(tmp_path: Path) -> None:
    scripts = stand_in(tmp_path / "benchmarks")
    out = tmp_path / "out"
    result = bench(
        "--benchmarks", scripts, "--only", "document_migrator", "--scale", "100,1_000,100",
        "--rounds", "2", "--out", out,
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    report = read_report(out)
    assert report.scales == [100, 1000]
    assert report.rounds == 2
    assert report.engine is None  # the document migrator needs none
    assert report.library_version
    assert report.machine.cpus
    assert [(r.path, r.scale) for r in report.rows] == [
        (path.name, scale)
        for scale in (100, 1000)
        for path in BENCHMARKS["document_migrator"].paths
    ]
    assert all(row.passed for row in report.rows)
    assert all(row.peak_rss_mb and 5 < row.peak_rss_mb < 500 for row in report.rows)
    markdown = (out / "report.md").read_text()
    assert markdown in result.output
    for row in report.rows:
        assert f"| document_migrator | {row.path} | {row.scale:,} | {row.objects_per_s:,.0f} |" in (
            markdown
        )
    assert "![throughput and peak RSS](report.png)" in markdown
    assert (out / "report.png").read_bytes().startswith(b"\x89PNG")
    assert (
        "stand-in at 1000 objects, 2 rounds"
        in (out / "logs" / "document_migrator-1000.log").read_text()
    )
    assert (out / "raw" / "100" / "document_migrator.json").is_file()


def test_the_default_folder_is_a_new_report_folder_under_results(tmp_path: Path) -> None:
    scripts = stand_in(tmp_path / "benchmarks")
    result = bench("--benchmarks", scripts, "--only", "document_migrator", "--scale", "10")
    assert result.exit_code == 0, result.output
    (folder,) = (scripts / "results").iterdir()
    assert folder.name.startswith("report-")
    assert (folder / "report.json").is_file()


def test_a_missed_target_is_reported_not_an_error(tmp_path: Path) -> None:
    scripts = stand_in(tmp_path / "benchmarks", {**RATES, "migrate, up to date": 1_000_000.0})
    out = tmp_path / "out"
    result = bench("--benchmarks", scripts, "--only", "document_migrator", "--scale", "10",
                   "--out", out)  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "1 of 3 rows with a target missed it." in (out / "report.md").read_text()
    assert [r.path for r in read_report(out).failed_targets] == ["migrate, up to date"]


@pytest.mark.parametrize(
    ("figures", "error"),
    [
        ("fail", "exit 1 (logs/document_migrator-10.log): the stand-in broke"),
        ({"dict copy": 1.0}, "unreadable results: document_migrator: no rate for"),
    ],
)
def test_a_failed_script_is_in_the_report_and_exits_1(
    tmp_path: Path, figures: Any, error: str
) -> None:
    scripts = stand_in(tmp_path / "benchmarks", figures)
    out = tmp_path / "out"
    result = bench("--benchmarks", scripts, "--only", "document_migrator", "--scale", "10",
                   "--out", out)  # fmt: skip
    assert result.exit_code == 1, result.output
    assert "1 benchmark run(s) failed: document_migrator @ 10: " in result.output
    report = read_report(out)
    assert report.rows == []
    (failure,) = report.failures
    assert failure.error.startswith(error)
    assert f"- document_migrator @ 10 failed: {error}" in (out / "report.md").read_text()


def test_without_matplotlib_the_report_says_how_to_get_the_plot(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "matplotlib", None)  # import matplotlib fails
    scripts = stand_in(tmp_path / "benchmarks")
    out = tmp_path / "out"
    result = bench("--benchmarks", scripts, "--only", "document_migrator", "--scale", "10",
                   "--out", out)  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "no plot: matplotlib is not installed (pip install 'kbn-saved-objects[bench]')" in (
        result.output
    )
    assert not (out / "report.png").exists()
    assert "![" not in (out / "report.md").read_text()
    assert (out / "report.json").is_file()


# -- --compare -----------------------------------------------------------------------------


def test_compare_with_an_earlier_report(tmp_path: Path) -> None:
    scripts = stand_in(tmp_path / "benchmarks")
    common = ["--benchmarks", scripts, "--only", "document_migrator", "--scale", "10"]
    assert bench(*common, "--out", tmp_path / "old").exit_code == 0
    old = tmp_path / "old" / "report.json"

    same = bench(*common, "--out", tmp_path / "same", "--compare", old, "--fail-on-regression")
    assert same.exit_code == 0, same.output
    comparison = read_report(tmp_path / "same").comparison
    assert comparison is not None
    assert comparison.against == str(old)
    assert [row.ratio_delta_pct for row in comparison.rows] == [0, 0, 0]
    assert "No regression." in (tmp_path / "same" / "report.md").read_text()

    stand_in(scripts, {**RATES, "migrate, outdated": 500_000.0})  # ratio 0.6 -> 0.5: -16.7%
    slower = bench(*common, "--out", tmp_path / "slower", "--compare", old)
    assert slower.exit_code == 0, slower.output
    comparison = read_report(tmp_path / "slower").comparison
    assert comparison is not None
    assert [row.path for row in comparison.regressions] == ["migrate, outdated"]
    markdown = (tmp_path / "slower" / "report.md").read_text()
    assert "| document_migrator | migrate, outdated | 10 | 0.60 | 0.50 | -16.7% | -16.7% | " \
        "**regression** |" in markdown  # fmt: skip
    assert "1 regression(s)." in markdown

    lenient = bench(*common, "--out", tmp_path / "lenient", "--compare", old, "--threshold", "20",
                    "--fail-on-regression")  # fmt: skip
    assert lenient.exit_code == 0, lenient.output

    failing = bench(*common, "--out", tmp_path / "failing", "--compare", old,
                    "--fail-on-regression")  # fmt: skip
    assert failing.exit_code == 1, failing.output
    assert f"1 regression(s) against {old}" in failing.output
    assert (tmp_path / "failing" / "report.json").is_file()  # written before the verdict


# -- the real scripts ----------------------------------------------------------------------


def test_the_real_document_migrator_benchmark_at_a_tiny_scale(tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = bench("--only", "document_migrator", "--scale", "50", "--rounds", "1", "--out", out)
    assert result.exit_code == 0, result.output
    report = read_report(out)
    assert [row.path for row in report.rows] == [
        p.name for p in BENCHMARKS["document_migrator"].paths
    ]
    assert report.git_commit  # this checkout's


@pytest.mark.engine
def test_kbn_so_bench_end_to_end_on_the_engine(
    kbn_engine: Engine, kbn_engine_url: str, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    result = bench(
        "--url", kbn_engine_url, "--scale", "200", "--only", "repository_bulk,document_migrator",
        "--rounds", "1", "--out", out,
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    report = read_report(out)
    assert report.engine == str(kbn_engine.info)
    assert report.benchmarks == ["repository_bulk", "document_migrator"]
    expected = [
        (name, path.name)
        for name in ("repository_bulk", "document_migrator")
        for path in BENCHMARKS[name].paths
    ]
    assert [(row.benchmark, row.path) for row in report.rows] == expected
    raw = json.loads((out / "raw" / "200" / "repository_bulk.json").read_text())
    assert raw["docs"] == 200
    bulk_get = next(row for row in report.rows if row.path == "bulk_get")
    assert bulk_get.objects_per_s == raw["objects_per_s"]["bulk_get"]
    assert bulk_get.baseline_objects_per_s == raw["objects_per_s"]["raw _mget"]
    markdown = (out / "report.md").read_text()
    assert f"- engine: {kbn_engine.info}" in markdown
    assert markdown.count("| repository_bulk |") == 3
    assert (out / "report.png").read_bytes().startswith(b"\x89PNG")
    left = kbn_engine.perform(rq.get_index("kbn-so-bench-*", ignore_unavailable=True))
    assert not [name for name in left if "-kbn-so-bench-repository" in name]


@pytest.mark.engine
def test_a_scale_beyond_what_a_benchmark_takes_is_skipped(
    kbn_engine_url: str, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    result = bench("--url", kbn_engine_url, "--only", "http", "--scale", "20000", "--out", out)
    assert result.exit_code == 0, result.output
    (failure,) = read_report(out).failures
    assert (failure.benchmark, failure.skipped) == ("http", True)
    assert "- http @ 20,000 skipped: takes at most 10,000 objects" in result.output
