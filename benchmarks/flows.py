"""Flow benchmark: a 120-issue backfill, today's code (a baseline commit) beside this one, measured in one run.

Every figure comes from one run on this machine:
- the archive: `--reports` (default 120) synthetic issues drawn with the test generator
  (`tests/variants`), half per family, each family half in its 2023 and half in its 2024 layout;
- `baseline`: the backfill of commit `--baseline` (57fdf8e, before batched publishing), checked out
  with `git worktree add` in a temporary folder with its own `.venv` (`./dev setup`), over the same
  archive, with its default task runner (2 threads);
- `this code`: the backfill with 1 and 2 workers (threads, each with its own bounded reader process),
  and with 2 Dask worker processes;
- each backfill runs in a fresh process on Prefect's temporary server, timed after one warm-up flow run
  (the server's start, reported as "Prefect's start", is not in the backfill's time);
- peak memory: max RSS of the flow process (and of its largest reader), at 40 reports and at all;
- files per Delta table after the backfill, at the version the latest store version reads (before
  compaction) and at the head (after it);
- a no-change re-run of the same backfill on the same output: its time, and that it wrote nothing.

The PDFs are synthetic imitations. Run by hand (not in CI): `./dev bench-flows [--reports N] [--quick]`.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

BASELINE = "57fdf8e"
TABLES = ("facts", "violations", "quarantine", "reports")

#: Runs one backfill in a fresh process of either checkout and prints one JSON line of what it measured.
DRIVER = r"""
import json, resource, sys, time
from pathlib import Path
root, raw, output, workers, runner, home, rerun = sys.argv[1:8]
sys.path.insert(0, root)
from mixedflows import prefect_env
Path(home).mkdir(parents=True, exist_ok=True)
prefect_env.configure(home)
from deltalake import DeltaTable
from prefect.task_runners import ThreadPoolTaskRunner
from flows.backfill import backfill

def task_runner():
    if runner == "dask":
        from prefect_dask import DaskTaskRunner
        kwargs = {"n_workers": int(workers), "threads_per_worker": 1, "processes": True, "dashboard_address": None}
        return DaskTaskRunner(cluster_kwargs=kwargs)
    return ThreadPoolTaskRunner(max_workers=int(workers))

def run(run_id):
    flow = backfill.with_options(task_runner=task_runner())
    start = time.perf_counter()
    state = flow(first, last, raw_dir=raw, output_dir=output, run_id=run_id, return_state=True)
    if not (state.is_completed() or state.is_failed()):
        raise SystemExit(f"backfill ended {state.name}: {state.message}")
    return time.perf_counter() - start

months = sorted(p.stem for p in Path(raw).glob("*/*.pdf"))
first, last = months[0], months[-1]
empty = Path(output).parent / (Path(output).name + "-warm")
start = time.perf_counter()
backfill.with_options(task_runner=task_runner())("1990-01", "1990-01", raw_dir=str(empty), output_dir=str(empty),
                                                 run_id="warm-up", return_state=True)
result = {"prefect_start_s": time.perf_counter() - start, "seconds": run("measured")}
if rerun == "rerun":
    heads = {n: DeltaTable(f"{output}/{n}").version() for n in ("facts", "violations", "quarantine", "reports")}
    result["rerun_s"] = run("rerun")
    after = {n: DeltaTable(f"{output}/{n}").version() for n in heads}
    result["rerun_wrote"] = {n: after[n] - heads[n] for n in heads if after[n] != heads[n]}
result["flow_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
result["largest_child_rss_mb"] = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
print(json.dumps(result))
"""


def per_second(measured: dict) -> float:
    return measured["reports"] / measured["seconds"]


def bench_cases(count: int) -> list:
    """`count` seeded issues: half per family, each half split between the 2023 and the 2024 layout."""
    from tests.variants import variant_cases

    styles: dict[tuple[str, str], list] = {}
    for case in variant_cases():
        layout = "v2023" if case.template.endswith("2023-06") else "v2024"
        styles.setdefault((case.family, layout), []).append(case)
    cases = []
    for family in ("dtm_wb", "unhcr_wb"):
        wanted = count // 2 + (count % 2 if family == "dtm_wb" else 0)
        for layout, first_year in (("v2023", 2019), ("v2024", 2024)):
            n = wanted // 2 + (wanted % 2 if layout == "v2023" else 0)
            # UNHCR prints no January issue form in any sample (see tests/variants): its Januaries are skipped.
            months = [
                (year, month)
                for year in range(first_year, first_year + 12)
                for month in range(1, 13)
                if family == "dtm_wb" or month != 1
            ][:n]
            pool = styles[(family, layout)]
            for index, (year, month) in enumerate(months):
                like = pool[index % len(pool)]
                name = f"bench-{family}-{layout}-{year}-{month:02d}"
                cases.append(dataclasses.replace(like, name=name, year=year, month=month, seed=7000 + len(cases)))
    return cases


def build_archive(target: Path, count: int) -> list[Path]:
    """Draw the issues into the raw_pdfs layout (`<family>/<YYYY-MM>.pdf`)."""
    from tests.variants import render_case

    pdfs = []
    for case in bench_cases(count):
        pdf, _ = render_case(case, target.parent / "drawn")
        destination = target / case.family / f"{case.year:04d}-{case.month:02d}.pdf"
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(pdf, destination)
        pdfs.append(destination)
    return pdfs


def subset(raw: Path, pdfs: list[Path], count: int, target: Path) -> Path:
    """`count` issues spread evenly over each family's months (so both families and both layouts)."""
    by_family: dict[str, list[Path]] = {}
    for pdf in pdfs:
        by_family.setdefault(pdf.parent.name, []).append(pdf)
    per_family = count // len(by_family)
    chosen = [pdf for group in by_family.values() for pdf in group[:: max(1, len(group) // per_family)][:per_family]]
    for pdf in chosen:
        destination = target / pdf.relative_to(raw)
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(pdf, destination)
    return target


def baseline_checkout(commit: str, scratch: Path) -> Path:
    """`git worktree add` of `commit` in `scratch`, with its own .venv; removed again by `drop_checkout`."""
    checkout = scratch / f"baseline-{commit}"
    subprocess.run(
        ["git", "worktree", "add", "--detach", str(checkout), commit], cwd=ROOT, check=True, capture_output=True
    )
    tools = ROOT / ".tools"
    if tools.exists():
        (checkout / ".tools").symlink_to(tools.resolve())
    subprocess.run(["./dev", "setup"], cwd=checkout, check=True)
    return checkout


def drop_checkout(checkout: Path) -> None:
    subprocess.run(["git", "worktree", "remove", "--force", str(checkout)], cwd=ROOT, check=False, capture_output=True)


def backfill(root: Path, raw: Path, output: Path, workers: int, runner: str = "thread", rerun: bool = False) -> dict:
    """One backfill of `raw` into a new `output` by the checkout at `root`, in a fresh process."""
    home = output.parent / f"{output.name}-prefect"
    command = [
        str(root / ".venv" / "bin" / "python"),
        "-c",
        DRIVER,
        str(root),
        str(raw),
        str(output),
        str(workers),
        runner,
        str(home),
        "rerun" if rerun else "once",
    ]
    env = {**os.environ, "PYTHONPATH": str(root)}
    env.pop("PREFECT_HOME", None)
    done = subprocess.run(command, cwd=root, env=env, capture_output=True, text=True)
    if done.returncode != 0:
        raise RuntimeError(f"backfill in {root} failed:\n{done.stderr[-3000:]}")
    return {"reports": len(list(raw.glob("*/*.pdf"))), **json.loads(done.stdout.strip().splitlines()[-1])}


def files_per_table(output: Path) -> dict[str, tuple[int, int]]:
    """Live data files per table: at the version the latest store version reads, and at the head."""
    from deltalake import DeltaTable

    from mixedflows.store import Store

    latest = Store(output).version()
    counts = {}
    for name in TABLES:
        at = latest.version if name == "reports" else latest.tables[name]
        counts[name] = (
            len(DeltaTable(output / name, version=at).file_uris()),
            len(DeltaTable(output / name).file_uris()),
        )
    return counts


def statuses(output: Path) -> dict[str, int]:
    from mixedflows.store import Store

    return Store(output).read_reports()["status"].value_counts().to_dict()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=int, default=120, help="issues in the archive (default 120)")
    parser.add_argument("--small", type=int, default=40, help="the smaller archive for peak memory (default 40)")
    parser.add_argument("--baseline", default=BASELINE, help=f"commit measured as today's code (default {BASELINE})")
    parser.add_argument("--quick", action="store_true", help="skip the baseline and the Dask run")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="mixedflows-bench-") as tmp:
        scratch = Path(tmp)
        raw = scratch / "raw"
        pdfs = build_archive(raw, args.reports)
        small = subset(raw, pdfs, args.small, scratch / "raw-small")
        print(
            f"archive: {len(pdfs)} synthetic issues (both families, both layouts); cores: {os.cpu_count()}; "
            f"load: {' '.join(f'{x:.1f}' for x in os.getloadavg())}",
            flush=True,
        )
        ours: dict[str, dict] = {}
        ours["2 threads"] = backfill(ROOT, raw, scratch / "out-2", 2, rerun=True)
        ours["1 thread"] = backfill(ROOT, raw, scratch / "out-1", 1)
        ours["small"] = backfill(ROOT, small, scratch / "out-small", 2)
        if not args.quick:
            ours["dask 2"] = backfill(ROOT, raw, scratch / "out-dask", 2, runner="dask")
        base: dict | None = None
        if not args.quick:
            checkout = baseline_checkout(args.baseline, scratch)
            try:
                base = backfill(checkout, raw, scratch / "out-baseline", 2)
            finally:
                drop_checkout(checkout)
        two, one = ours["2 threads"], ours["1 thread"]
        print(f"load after: {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
        print(f"{'run':34} {'seconds':>8} {'reports/s':>10} {'flow RSS':>9} {'reader RSS':>10}")
        rows = [(f"this code, {name}", m) for name, m in ours.items() if name != "small"]
        rows.append((f"this code, 2 threads, {ours['small']['reports']} issues", ours["small"]))
        if base is not None:
            rows.append((f"baseline {args.baseline}, 2 threads", base))
        for label, m in rows:
            print(
                f"{label:34} {m['seconds']:8.1f} {per_second(m):10.2f} {m['flow_rss_mb']:7.0f}MB "
                f"{m['largest_child_rss_mb']:8.0f}MB"
            )
        print(f"2 workers vs 1 (threads): x{one['seconds'] / two['seconds']:.2f}")
        if "dask 2" in ours:
            print(f"2 Dask processes vs 1 thread: x{one['seconds'] / ours['dask 2']['seconds']:.2f}")
        if base is not None:
            best = min(m["seconds"] for name, m in ours.items() if name != "small")
            print(
                f"end to end vs baseline {args.baseline} (2 threads each): x{base['seconds'] / two['seconds']:.2f} "
                f"(best of this code: x{base['seconds'] / best:.2f})"
            )
        print(
            f"peak flow-process memory: {ours['small']['reports']} issues {ours['small']['flow_rss_mb']:.0f} MB, "
            f"{two['reports']} issues {two['flow_rss_mb']:.0f} MB"
        )
        print(
            f"no-change re-run: {two['rerun_s']:.2f} s "
            f"(Prefect's start in that process: {two['prefect_start_s']:.1f} s); "
            f"wrote {two['rerun_wrote'] or 'nothing'}"
        )
        print(
            "files per Delta table (before compaction -> after): "
            + ", ".join(f"{name} {a} -> {b}" for name, (a, b) in files_per_table(scratch / "out-2").items())
        )
        if base is not None:
            print(
                "files per Delta table, baseline: "
                + ", ".join(f"{name} {a}" for name, (a, _) in files_per_table(scratch / "out-baseline").items())
            )
        print(f"statuses: {statuses(scratch / 'out-2')}")
        print(json.dumps({**ours, "baseline": base}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
