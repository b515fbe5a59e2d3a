"""``kbn-so bench``: run the benchmarks at chosen object counts and write one report.

    kbn-so bench [--scale 10000,100000] [--only NAME[,NAME...]] [--rounds N] [--out DIR]
                 [--compare OLD/report.json [--threshold PCT] [--fail-on-regression]]
                 [--url URL]

Each script of ``benchmarks/`` runs in a process of its own at each scale (they are
standalone scripts, and a process of one's own gives each its own peak RSS), against the
engine every command uses (``--url``, ``KBN_SO_ENGINE_URL``, the node of ``kbn-so engine
start``), with indices of its own (a prefix per run). Their results land under
``DIR/raw/<scale>/`` and their output under ``DIR/logs/``; the report is ``DIR/report.json``,
``DIR/report.md`` and ``DIR/report.png`` (the plot needs matplotlib: the ``bench`` extra).

The scripts are not installed with the package: the command runs from a source checkout
(``--benchmarks`` points elsewhere). What the figures mean, the targets and the
comparison live in :mod:`kbn_saved_objects.cli.bench_report`.

Exit codes: 0 the report is written (targets missed or not: the report says); 1 a script
failed (the report is still written and names it), or ``--fail-on-regression`` and a
regression; 2 bad usage, including a ``--compare`` file that is not a report; 4 the engine
did not answer.
"""

from __future__ import annotations

import json
import os
import platform
import secrets
import subprocess
import sys
from collections import defaultdict
from datetime import UTC, datetime
from pathlib import Path

import click

import kbn_saved_objects
from kbn_saved_objects import __version__
from kbn_saved_objects.cli._common import URL_HELP, connected_engine, provide_cli_engine
from kbn_saved_objects.cli.bench_report import (
    BENCHMARKS,
    Benchmark,
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
from kbn_saved_objects.engine.discovery import ENV_URL

__all__ = ["DEFAULT_SCALES", "bench_command"]

DEFAULT_SCALES = "10000,100000"

SOURCE_ROOT = Path(kbn_saved_objects.__file__).resolve().parent.parent
"""The checkout the package is imported from: its ``benchmarks/`` is the default."""

# Runs a script as ``python script.py`` would (its folder first on sys.path, so that its
# ``from _common import ...`` works), then records the process's peak RSS on the way out:
# VmHWM on Linux (ru_maxrss would carry the parent's peak across exec), else ru_maxrss.
_LAUNCHER = """
import atexit, json, os, resource, runpy, sys
script, out = sys.argv[1], sys.argv[2]
def record():
    peak = None
    try:
        for line in open("/proc/self/status"):
            if line.startswith("VmHWM:"):
                peak = int(line.split()[1]) / 1024
    except OSError:
        pass
    if peak is None:
        scale = 1024 * 1024 if sys.platform == "darwin" else 1024
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / scale
    with open(out, "w") as f:
        json.dump({"peak_rss_mb": peak}, f)
atexit.register(record)
sys.argv = [script, *sys.argv[3:]]
sys.path.insert(0, os.path.dirname(os.path.abspath(script)))
runpy.run_path(script, run_name="__main__")
"""


def _split(values: tuple[str, ...]) -> list[str]:
    return [part.strip() for value in values for part in value.split(",") if part.strip()]


def _scales(text: str) -> list[int]:
    try:
        scales = [int(part.replace("_", "")) for part in _split((text,))]
    except ValueError:
        raise click.BadParameter(
            f"expected object counts separated by commas, got {text!r}", param_hint="--scale"
        ) from None
    if not scales or any(scale < 1 for scale in scales):
        raise click.BadParameter("object counts must be at least 1", param_hint="--scale")
    return sorted(set(scales))


def _chosen(only: tuple[str, ...]) -> list[Benchmark]:
    names = _split(only)
    unknown = [name for name in names if name not in BENCHMARKS]
    if unknown:
        raise click.BadParameter(
            f"unknown benchmark {', '.join(unknown)}; one of {', '.join(BENCHMARKS)}",
            param_hint="--only",
        )
    return [b for name, b in BENCHMARKS.items() if not names or name in names]


def _read_compare(path: Path | None) -> Report | None:
    if path is None:
        return None
    try:
        return load_report(path.read_text(encoding="utf-8"), str(path))
    except (ReportFormatError, UnicodeDecodeError) as exc:
        raise click.BadParameter(str(exc), param_hint="--compare") from exc


def _git_commit(root: Path) -> str | None:
    try:
        done = subprocess.run(
            ["git", "-C", str(root), "rev-parse", "HEAD"],
            capture_output=True,
            text=True,
            check=False,
            timeout=10,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return done.stdout.strip() or None if done.returncode == 0 else None


def _engine_description(url: str | None) -> tuple[str, str]:
    """The engine's URL and its description (``OpenSearch 2.19.6``), resolved the way
    every command resolves it."""
    provided = provide_cli_engine(url)  # an engine it did not start: nothing to stop
    with connected_engine(url) as engine:  # the same choice, its errors naming the source
        return provided.url, str(engine.info)


def _last_line(log: Path) -> str:
    try:
        lines = [line for line in log.read_text(errors="replace").splitlines() if line.strip()]
    except OSError:
        return ""
    return lines[-1].strip() if lines else ""


def _run_script(
    benchmark: Benchmark,
    scale: int,
    rounds: int | None,
    *,
    scripts: Path,
    out: Path,
    env: dict[str, str],
) -> list[Row] | BenchmarkFailure:
    """Run one script at one scale; its rows, or why there are none."""
    if benchmark.max_scale is not None and scale > benchmark.max_scale:
        return BenchmarkFailure(
            benchmark=benchmark.name,
            scale=scale,
            error=f"takes at most {benchmark.max_scale:,} objects",
            skipped=True,
        )
    raw = out / "raw" / str(scale)
    raw.mkdir(parents=True, exist_ok=True)
    logs = out / "logs"
    logs.mkdir(parents=True, exist_ok=True)
    log = logs / f"{benchmark.name}-{scale}.log"
    process_file = raw / f"{benchmark.name}.process.json"
    command = [sys.executable, "-c", _LAUNCHER, str(scripts / benchmark.script)]
    command += [str(process_file), "--docs", str(scale)]
    if rounds is not None:
        command += ["--rounds", str(rounds)]
    click.echo(f"{benchmark.name} at {scale:,} objects ...", err=True)
    with log.open("wb") as sink:
        done = subprocess.run(
            command,
            stdout=sink,
            stderr=subprocess.STDOUT,
            env={**env, "KBN_SO_BENCH_RESULTS": str(raw)},
            check=False,
        )
    relative = log.relative_to(out)
    if done.returncode != 0:
        return BenchmarkFailure(
            benchmark=benchmark.name,
            scale=scale,
            error=f"exit {done.returncode} ({relative}): {_last_line(log)}",
        )
    try:
        result = json.loads((raw / f"{benchmark.name}.json").read_text(encoding="utf-8"))
        peak = json.loads(process_file.read_text(encoding="utf-8"))["peak_rss_mb"]
        return rows_from_result(benchmark, scale, result, process_peak_rss_mb=peak)
    except (OSError, ValueError, KeyError, ResultFormatError) as exc:
        return BenchmarkFailure(
            benchmark=benchmark.name, scale=scale, error=f"unreadable results: {exc}"
        )


def write_plot(report: Report, path: Path) -> bool:
    """report.png: objects/s against object count (log-log), each path solid and its
    baseline dashed in the same colour; peak RSS against object count beside it. False
    when matplotlib is not installed."""
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        return False
    series: dict[tuple[str, str], list[Row]] = defaultdict(list)
    for row in report.rows:
        series[(row.benchmark, row.path)].append(row)
    rss: dict[str, dict[int, float]] = defaultdict(dict)
    for row in report.rows:
        if row.peak_rss_mb is None:
            continue
        per_path = (
            BENCHMARKS[row.benchmark].rates_key == "rows" if row.benchmark in BENCHMARKS else False
        )
        name = f"{row.benchmark} / {row.path}" if per_path else row.benchmark
        rss[name][row.scale] = max(rss[name].get(row.scale, 0.0), row.peak_rss_mb)
    figure, (rates_axes, rss_axes) = plt.subplots(1, 2, figsize=(16, 7))
    colours = plt.get_cmap("tab10")
    for number, ((benchmark, name), rows) in enumerate(series.items()):
        rows.sort(key=lambda r: r.scale)
        scales = [r.scale for r in rows]
        colour = colours(number % 10)
        rates_axes.plot(
            scales,
            [r.objects_per_s for r in rows],
            "o-",
            color=colour,
            label=f"{benchmark}: {name}",
        )
        rates_axes.plot(
            scales, [r.baseline_objects_per_s for r in rows], "x--", color=colour, alpha=0.6
        )
    rates_axes.set(
        xscale="log",
        yscale="log",
        xlabel="objects",
        ylabel="objects/s (dashed: the baseline)",
        title=f"kbn_saved_objects {report.library_version}: throughput",
    )
    if series:
        rates_axes.legend(fontsize="x-small")
    for name, points in rss.items():
        scales = sorted(points)
        rss_axes.plot(scales, [points[s] for s in scales], "o-", label=name)
    rss_axes.set(xscale="log", xlabel="objects", ylabel="peak RSS (MB)", title="peak RSS")
    if rss:
        rss_axes.legend(fontsize="x-small")
    figure.tight_layout()
    figure.savefig(path, dpi=100)
    plt.close(figure)
    return True


@click.command("bench")
@click.option(
    "--scale",
    default=DEFAULT_SCALES,
    show_default=True,
    help="Object counts to run each benchmark at, separated by commas (e.g. 10000,100000,1000000).",
)
@click.option(
    "--only",
    multiple=True,
    metavar="NAME[,NAME]",
    help=f"Run only these benchmarks (default: all of {', '.join(BENCHMARKS)}).",
)
@click.option(
    "--rounds", type=click.IntRange(min=1), default=None, help="Rounds per script (best kept)."
)
@click.option(
    "--out",
    "out",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Report folder (default: benchmarks/results/report-<UTC time>/).",
)
@click.option(
    "--compare",
    "compare_path",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    default=None,
    help="An earlier report.json: add each row's deltas and flag regressions.",
)
@click.option(
    "--threshold",
    type=click.FloatRange(min=0),
    default=10.0,
    show_default=True,
    help="With --compare: a ratio that fell by more than this percentage is a regression.",
)
@click.option(
    "--fail-on-regression",
    is_flag=True,
    default=False,
    help="With --compare: exit 1 when a row regressed.",
)
@click.option(
    "--benchmarks",
    "scripts",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    default=None,
    help="The benchmarks/ folder of a source checkout (default: the one beside the package).",
)
@click.option("--url", default=None, help=URL_HELP)
def bench_command(
    scale: str,
    only: tuple[str, ...],
    rounds: int | None,
    out: Path | None,
    compare_path: Path | None,
    threshold: float,
    fail_on_regression: bool,
    scripts: Path | None,
    url: str | None,
) -> None:
    """Run the benchmarks and write report.json, report.md and report.png."""
    scales = _scales(scale)
    chosen = _chosen(only)
    if fail_on_regression and compare_path is None:
        raise click.UsageError("--fail-on-regression only makes sense with --compare")
    old = _read_compare(compare_path)
    scripts = scripts or SOURCE_ROOT / "benchmarks"
    if not (scripts / "_common.py").is_file():
        raise click.ClickException(
            f"no benchmark scripts in {scripts}: `kbn-so bench` runs from a source checkout "
            "of kbn_saved_objects (or pass --benchmarks DIR)"
        )
    engine_url: str | None = None
    engine: str | None = None
    if any(b.needs_engine for b in chosen):
        engine_url, engine = _engine_description(url)
    started = datetime.now(UTC)
    out = out or scripts / "results" / f"report-{started:%Y%m%d-%H%M%S}"
    out.mkdir(parents=True, exist_ok=True)
    python_path = os.pathsep.join(
        p for p in (str(SOURCE_ROOT), os.environ.get("PYTHONPATH", "")) if p
    )
    env = {
        **os.environ,
        "PYTHONPATH": python_path,
        "KBN_SO_BENCH_INDEX_PREFIX": f"kbn-so-bench-{secrets.token_hex(3)}-",
    }
    if engine_url is not None:
        env[ENV_URL] = engine_url
    rows: list[Row] = []
    failures: list[BenchmarkFailure] = []
    for benchmark in chosen:
        for count in scales:
            outcome = _run_script(benchmark, count, rounds, scripts=scripts, out=out, env=env)
            if isinstance(outcome, BenchmarkFailure):
                failures.append(outcome)
            else:
                rows += outcome
    report = Report(
        library_version=__version__,
        git_commit=_git_commit(scripts.parent),
        engine=engine,
        machine=Machine(
            cpus=os.cpu_count(), python=platform.python_version(), platform=platform.platform()
        ),
        date=started.isoformat(timespec="seconds"),
        scales=scales,
        rounds=rounds,
        benchmarks=[b.name for b in chosen],
        rows=rows,
        failures=failures,
    )
    if old is not None:
        comparison = compare_reports(
            old, report, threshold_pct=threshold, against=str(compare_path)
        )
        report = report.model_copy(update={"comparison": comparison})
    (out / "report.json").write_text(report.model_dump_json(indent=2) + "\n", encoding="utf-8")
    plotted = write_plot(report, out / "report.png")
    markdown = render_markdown(report, plot="report.png" if plotted else None)
    (out / "report.md").write_text(markdown, encoding="utf-8")
    click.echo(markdown)
    click.echo(f"wrote {out / 'report.json'}, {out / 'report.md'}", nl=False)
    click.echo(f", {out / 'report.png'}" if plotted else "")
    if not plotted:
        click.echo(
            "no plot: matplotlib is not installed (pip install 'kbn-saved-objects[bench]')",
            err=True,
        )
    broken = [f for f in failures if not f.skipped]
    if broken:
        raise click.ClickException(
            f"{len(broken)} benchmark run(s) failed: "
            + "; ".join(f"{f.benchmark} @ {f.scale:,}: {f.error}" for f in broken)
        )
    if fail_on_regression and report.comparison is not None and report.comparison.regressions:
        raise click.ClickException(
            f"{len(report.comparison.regressions)} regression(s) against {compare_path}"
        )
