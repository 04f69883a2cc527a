"""Damage the (synthetic) sample PDFs and check that each damaged file is read right or refused in one line.

Each mutated file is read the way the pipeline reads it (`extract_bounded`, default limits) and
classified:

- `identical`: the same facts as the undamaged sample (every column but the file's sha256);
- `moved`: every figure intact (every column but the page and bbox identical), some drawn elsewhere:
  the damage changed glyph widths, the page box or a spacing operator, or deleted a page, so the bbox
  or page of a figure in the damaged file is not the sample's. No figure is wrong; the page and bbox
  are where this file prints it;
- `error`: refused with one line naming the file (an `ExtractionError`), within the time limit;
- `defect`: anything else: a traceback, an error on several lines or from an unexpected failure, a
  reader that crashed or blew its memory, a hang past the limit, or facts that differ from the
  sample's (a changed figure, a lost row). The defect count must be zero.

Every `cli_every`-th file is also given to `mixedflows extract` beside an undamaged sample: the exit
code must be 0 or 2, and the good file's facts must still be printed.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import random
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from extractors import extract
from extractors.bounded import extract_bounded
from extractors.errors import ExtractionError
from extractors.limits import ExtractionLimits

from .mutations import MUTATIONS, uncompressed

TESTS = Path(__file__).resolve().parent.parent
SAMPLES = sorted((TESTS / "pdfs").glob("*/*.pdf"))
#: Columns that change with the bytes, not with what was read.
VOLATILE = ("pdf_sha256", "source_url")
#: Where a file prints a figure: damage that deletes a page or moves a glyph changes it, not the figure.
LOCATION = ("page", "bbox")
#: Past the time limit, how long the bounded reader may take to be killed and say so.
HANG_GRACE_SECONDS = 10.0


@dataclasses.dataclass(frozen=True)
class Seed:
    """An undamaged sample (as shipped, or rewritten with plain streams) and what it reads as."""

    name: str
    data: bytes
    records: tuple[str, ...]


@dataclasses.dataclass(frozen=True)
class Outcome:
    index: int
    seed: str
    mutation: str
    kind: str
    detail: str
    seconds: float

    def record(self) -> dict[str, Any]:
        return dataclasses.asdict(self)


def fact_records(facts) -> tuple[str, ...]:
    rows = []
    for fact in facts:
        row = fact.to_record()
        for column in VOLATILE:
            row.pop(column, None)
        rows.append(json.dumps(row, sort_keys=True, default=str))
    return tuple(rows)


def _without_boxes(records: tuple[str, ...]) -> list[dict[str, Any]]:
    """The records without where this file prints each figure (its page and box), for comparing figures."""
    rows = [json.loads(record) for record in records]
    for row in rows:
        for column in LOCATION:
            row.pop(column)
    return rows


def load_seeds(work: Path) -> list[Seed]:
    """The samples, and each rewritten with uncompressed streams (when it still reads the same)."""
    seeds = []
    for sample in SAMPLES:
        name = f"{sample.parent.name}/{sample.stem}"
        records = fact_records(extract(sample).facts)
        seeds.append(Seed(name, sample.read_bytes(), records))
        plain = work / f"seed-{sample.parent.name}-{sample.stem}-plain.pdf"
        plain.write_bytes(uncompressed(sample.read_bytes()))
        if fact_records(extract(plain).facts) == records:
            seeds.append(Seed(name + "+plain", plain.read_bytes(), records))
    return seeds


def mutated_files(seeds: list[Seed], count: int, seed: int, first: int = 0) -> Iterator[tuple[int, Seed, str, bytes]]:
    """`count` damaged files from index `first`, each rebuilt exactly from (`seed`, its index)."""
    names = sorted(MUTATIONS)
    for index in range(first, first + count):
        rng = random.Random(f"{seed}:{index}")
        base = rng.choice(seeds)
        chosen = [rng.choice(names) for _ in range(1 if rng.random() < 0.8 else 2)]
        data = base.data
        for name in chosen:
            try:
                data = MUTATIONS[name](data, rng)
            except Exception:  # pikepdf could not open an already damaged file: keep the damage so far
                continue
        yield index, base, "+".join(chosen), data


def classify(path: Path, seed: Seed, limits: ExtractionLimits) -> tuple[str, str, float]:
    start = time.monotonic()
    try:
        # Read as the pipeline reads: sections that cannot be read become problems, the rest is returned.
        report = extract_bounded(path, limits=limits, strict=False)
    except ExtractionError as exc:
        seconds = time.monotonic() - start
        message = str(exc)
        if "\n" in message or "unexpectedly" in message or "reader process" in message:
            return "defect", f"error: {message}", seconds
        if seconds > limits.seconds + HANG_GRACE_SECONDS:
            return "defect", f"hang: {seconds:.1f} s, then {message}", seconds
        return "error", message, seconds
    except BaseException as exc:  # noqa: BLE001 - a traceback is exactly what the harness looks for
        return "defect", f"traceback: {type(exc).__name__}: {exc}", time.monotonic() - start
    seconds = time.monotonic() - start
    if seconds > limits.seconds + HANG_GRACE_SECONDS:
        return "defect", f"hang: {seconds:.1f} s", seconds
    records = fact_records(report.facts)
    if report.problems:
        # A partial read: what it returns must all be the original's figures (in any box), and it says
        # what it could not read; the report would be quarantined, never published short.
        original = [json.dumps(row, sort_keys=True) for row in _without_boxes(seed.records)]
        foreign = [
            r for r in map(lambda row: json.dumps(row, sort_keys=True), _without_boxes(records)) if r not in original
        ]
        if foreign:
            return (
                "defect",
                f"a partial read returned a figure the original does not print: {foreign[0][:300]}",
                seconds,
            )
        return "error", " ".join(f"{p.rule}: {p.detail}" for p in report.problems[:1]), seconds
    if records == seed.records:
        return "identical", "", seconds
    if _without_boxes(records) == _without_boxes(seed.records):
        changed = sum(a != b for a, b in zip(records, seed.records, strict=True))
        return "moved", f"every figure intact; {changed} page(s) or bbox(es) differ", seconds
    lost = sorted(set(seed.records) - set(records))
    new = sorted(set(records) - set(seed.records))
    return "defect", f"facts differ: {len(lost)} lost/changed, {len(new)} new; first: {(new or lost)[0][:300]}", seconds


def check_cli(path: Path, good: Path) -> str | None:
    """What is wrong with `mixedflows extract DAMAGED GOOD`, or None."""
    from typer.testing import CliRunner

    from mixedflows.cli import app

    result = CliRunner().invoke(app, ["extract", "--format", "json", str(path), str(good)])
    if result.exit_code not in (0, 2):
        return f"cli exit {result.exit_code}: {result.exception!r}"
    lines = result.stderr.strip().splitlines()
    # One line per file that cannot be read, or per section of it that cannot (`error:`/`warning:`).
    if "Traceback" in result.output or any(not line.startswith(("error: ", "warning: ")) for line in lines):
        return f"cli printed something other than one line per problem: {result.stderr[:300]}"
    rows = json.loads(result.stdout)
    good_sha256 = hashlib.sha256(good.read_bytes()).hexdigest()
    if not any(row["pdf_sha256"] == good_sha256 for row in rows):
        return "cli lost the good file's facts"
    return None


def run(
    count: int,
    seed: int,
    out: Path,
    *,
    first: int = 0,
    cli_every: int = 0,
    limits: ExtractionLimits | None = None,
    log=print,
) -> dict[str, Any]:
    """Mutate, read and classify `count` files; write results.jsonl, defects/ and summary.json under `out`."""
    limits = limits or ExtractionLimits.from_env()
    out.mkdir(parents=True, exist_ok=True)
    defects = out / "defects"
    defects.mkdir(exist_ok=True)
    work = out / "work"
    work.mkdir(exist_ok=True)
    seeds = load_seeds(work)
    kinds: Counter[str] = Counter()
    by_mutation: dict[str, Counter[str]] = {}
    slowest = 0.0
    started = time.monotonic()
    with (out / "results.jsonl").open("w") as results:
        for index, base, mutation, data in mutated_files(seeds, count, seed, first):
            path = work / f"{index:06d}.pdf"
            path.write_bytes(data)
            kind, detail, seconds = classify(path, base, limits)
            if kind != "defect" and cli_every and index % cli_every == 0:
                problem = check_cli(path, SAMPLES[0])
                if problem:
                    kind, detail = "defect", problem
            outcome = Outcome(index, base.name, mutation, kind, detail, round(seconds, 3))
            results.write(json.dumps(outcome.record()) + "\n")
            results.flush()
            kinds[kind] += 1
            by_mutation.setdefault(mutation.split("+")[0], Counter())[kind] += 1
            slowest = max(slowest, seconds)
            if kind == "defect":
                (defects / f"{index:06d}-{mutation}.pdf").write_bytes(data)
                log(f"DEFECT {index} {base.name} {mutation}: {detail}")
            path.unlink()
            if (index + 1 - first) % 100 == 0:
                log(f"{index + 1}/{count} {dict(kinds)} {time.monotonic() - started:.0f} s")
    summary = {
        "count": count,
        "seed": seed,
        "first": first,
        "seconds": round(time.monotonic() - started, 1),
        "slowest_file_seconds": round(slowest, 2),
        "classes": dict(kinds),
        "by_mutation": {name: dict(counter) for name, counter in sorted(by_mutation.items())},
        "limits": dataclasses.asdict(limits),
    }
    (out / "summary.json").write_text(json.dumps(summary, indent=2) + "\n")
    return summary
