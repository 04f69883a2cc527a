"""`extract` in a reader process with real limits: a damaged file costs one line, never the run.

pdfminer cannot be stopped from inside: a 40 KB file can hold it for minutes and gigabytes in one
call. So every extraction runs in a separate reader process that this process can kill. Readers are
started once (`python -m extractors.bounded`, with the extractors imported) and kept for the next
file, so a file costs a request and a reply over a pipe, not a process start; a reader that broke a
limit is killed and replaced. Each call uses a reader of its own, so threads (backfills) may call
`extract_bounded` at the same time, and the parser's warnings are attributed to the right file.

Limits (`extractors.limits`): pages and content stream bytes are checked by `Document.open` before the
parser interprets anything; memory is the reader's address space (RLIMIT_AS, over what it holds when
idle); time is watched from this process, which kills the reader when it runs out.
"""

from __future__ import annotations

import atexit
import contextlib
import os
import pickle
import resource
import select
import signal
import struct
import subprocess
import sys
import threading
import time
import warnings
from pathlib import Path
from typing import Any, BinaryIO

from .document import ENGINE_ENV, engine_setting
from .errors import ExtractionError, UnreadablePdfError
from .limits import ExtractionLimitError, ExtractionLimits
from .registry import ExtractedReport

_HEADER = struct.Struct("!Q")
#: Python warnings that say nothing about the file read (an API going away, a handle closed late).
_NOT_DAMAGE = (DeprecationWarning, PendingDeprecationWarning, ResourceWarning)
#: Memory a reader keeps in reserve to report that it ran out (inside its limit).
RESERVE_BYTES = 8 * 1024 * 1024
#: Environment variables that configure extraction, passed to the reader with each request.
SETTINGS_PREFIX = "MIXEDFLOWS_"
#: How long a new reader may take to import the extractors (about 1 s; minutes on a machine in trouble).
READER_START_SECONDS = 120.0
_PROJECT_ROOT = Path(__file__).resolve().parent.parent


def extract_bounded(
    pdf_path: str | Path,
    source_url: str | None = None,
    *,
    strict: bool = True,
    limits: ExtractionLimits | None = None,
    engine: str | None = None,
    second_reading: bool = False,
) -> ExtractedReport:
    """`extractors.extract` run in a reader process within `limits` (default: `ExtractionLimits.from_env()`).

    `engine` (default: $MIXEDFLOWS_ENGINE, else the default engine) reads the file in the reader.

    Returns what `extract` returns and raises what it raises; beyond it, an `ExtractionLimitError`
    when the file needs more time, pages, content or memory than the limits allow, and an
    `UnreadablePdfError` for any other way the reader fails. Every error is one line naming the file.
    """
    limits = ExtractionLimits.from_env() if limits is None else limits
    path = Path(pdf_path)
    settings = _settings() if engine is None else {**_settings(), ENGINE_ENV: engine_setting(engine)}
    reader = _POOL.take(limits.memory_mb)
    try:
        reply = reader.ask((str(path), source_url, strict, limits, settings, second_reading), limits.seconds, path.name)
    except BaseException:
        reader.kill()
        raise
    if reader.alive():
        _POOL.give_back(reader)
    kind, payload = reply
    if kind == "report":
        return payload
    raise payload


#: Files one reader reads before it is replaced. Python seldom gives memory back, so a reader kept for a
#: whole backfill grows file by file towards its memory limit (a fuzzing run of 5,000 damaged files had
#: one reader killed near file 2,130 that read the same file cleanly when new); a new reader costs about
#: a second, under 1 % of 100 reports.
FILES_PER_READER = 100


class _Reader:
    """One reader process and the pipes to it."""

    def __init__(self, memory_mb: int) -> None:
        self.memory_mb = memory_mb
        self.files = 0
        env = {
            **os.environ,
            "PYTHONPATH": os.pathsep.join(filter(None, [str(_PROJECT_ROOT), os.environ.get("PYTHONPATH")])),
        }
        self.process = subprocess.Popen(
            [sys.executable, "-m", "extractors.bounded", str(memory_mb)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            env=env,
            cwd=_PROJECT_ROOT,
        )

    def ask(self, request: tuple, seconds: float, name: str) -> tuple[str, Any]:
        assert self.process.stdin is not None and self.process.stdout is not None
        self.files += 1
        try:
            _send(self.process.stdin, request)
        except (BrokenPipeError, OSError):
            return "error", self._died(name)
        # The reader imports the extractors before it answers its first request; that start-up is
        # not the file's fault, so the clock starts once the reader has said it is ready.
        if not self._ready():
            return "error", self._died(name)
        deadline = time.monotonic() + seconds
        try:
            reply = _receive(self.process.stdout, deadline)
        except TimeoutError:
            self.kill()
            return "error", ExtractionLimitError(
                f"{name}: reading took longer than {seconds:g} s, far longer than any report (damaged?)"
            )
        except EOFError:
            return "error", self._died(name)
        try:
            return pickle.loads(reply)
        except Exception as exc:  # a class the reader could send but this process cannot rebuild
            return "error", UnreadablePdfError(f"{name}: the reader's answer could not be read ({exc})")

    def _ready(self) -> bool:
        if getattr(self, "ready", False):
            return True
        try:
            self.ready = _receive(self.process.stdout, time.monotonic() + READER_START_SECONDS) == b"ready"
        except (EOFError, TimeoutError):
            self.ready = False
        return self.ready

    def _died(self, name: str) -> ExtractionError:
        self.kill()
        code = self.process.returncode
        if code is not None and code < 0 and -code == signal.SIGABRT:
            # pdfium (C++) aborts where Python raises MemoryError: an allocation refused by the memory limit
            return ExtractionLimitError(f"{name}: reading it needs more than {self.memory_mb} MB of memory (damaged?)")
        if code is not None and code < 0 and -code == signal.SIGKILL:
            why = "killed (out of memory?)"
        else:
            why = f"stopped with exit code {code}"
        return UnreadablePdfError(f"{name}: the reader process {why} while reading it (damaged PDF?)")

    def alive(self) -> bool:
        return self.process.poll() is None

    def kill(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait()
        for pipe in (self.process.stdin, self.process.stdout):
            if pipe is not None:
                with contextlib.suppress(OSError):
                    pipe.close()

    def close(self) -> None:
        """Ask the reader to finish (end of input), then make sure it has."""
        try:
            if self.process.stdin is not None:
                self.process.stdin.close()
            self.process.wait(timeout=2)
        except (OSError, subprocess.TimeoutExpired):
            pass
        self.kill()


class _Pool:
    """Idle readers, shared by every thread of this process."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.idle: list[_Reader] = []

    def take(self, memory_mb: int) -> _Reader:
        with self.lock:
            while self.idle:
                reader = self.idle.pop()
                if reader.alive() and reader.memory_mb == memory_mb:
                    return reader
                reader.close()
        return _Reader(memory_mb)

    def give_back(self, reader: _Reader) -> None:
        if reader.files >= FILES_PER_READER:
            reader.close()
            return
        with self.lock:
            self.idle.append(reader)

    def close(self) -> None:
        with self.lock:
            readers, self.idle = self.idle, []
        for reader in readers:
            reader.close()


_POOL = _Pool()
atexit.register(_POOL.close)


def _settings() -> dict[str, str]:
    """This process's MIXEDFLOWS_* environment, sent with every request: a reader started earlier must read
    with the configuration in force now (a test's or deployment's MIXEDFLOWS_CONFIG_DIR, its aliases)."""
    return {name: value for name, value in os.environ.items() if name.startswith(SETTINGS_PREFIX)}


def _send(pipe: BinaryIO, message: Any) -> None:
    data = message if isinstance(message, bytes) else pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
    pipe.write(_HEADER.pack(len(data)) + data)
    pipe.flush()


def _receive(pipe: BinaryIO, deadline: float) -> bytes:
    header = _read_exactly(pipe, _HEADER.size, deadline)
    (size,) = _HEADER.unpack(header)
    return _read_exactly(pipe, size, deadline)


def _read_exactly(pipe: BinaryIO, size: int, deadline: float) -> bytes:
    fd = pipe.fileno()
    chunks: list[bytes] = []
    remaining = size
    while remaining:
        wait = deadline - time.monotonic()
        if wait <= 0:
            raise TimeoutError
        ready, _, _ = select.select([fd], [], [], None if wait == float("inf") else wait)
        if not ready:
            raise TimeoutError
        chunk = os.read(fd, min(remaining, 1 << 20))
        if not chunk:
            raise EOFError
        chunks.append(chunk)
        remaining -= len(chunk)
    return b"".join(chunks)


# --- the reader process ------------------------------------------------------------------------


def _serve(memory_mb: int) -> None:
    """Answer requests on stdin until it closes; stdout carries only replies (prints go to stderr)."""
    replies = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)
    requests = os.fdopen(0, "rb")
    import logging

    from .document import PARSER_LOGGERS

    for name in PARSER_LOGGERS:
        # Damage is collected by Document.open; the reader's stderr is not anyone's to read.
        logging.getLogger(name).propagate = False
    from .second_reading import load_camelot

    # camelot (with OpenCV, numpy and matplotlib) maps a few hundred MB of address space: loaded before the
    # limit, so that the limit bounds what a file costs, not what a library costs to load.
    load_camelot()
    _limit_memory(memory_mb)
    # Memory held back to answer with once the limit is reached (building the reply needs some).
    ballast = bytearray(RESERVE_BYTES)
    _send(replies, b"ready")
    while True:
        try:
            request = pickle.loads(_receive(requests, float("inf")))
        except EOFError:
            return
        reply, healthy = _answer(*request, memory_mb=memory_mb)
        if not healthy:
            del ballast
        try:
            data = pickle.dumps(reply, protocol=pickle.HIGHEST_PROTOCOL)
        except Exception as exc:
            data = pickle.dumps(("error", UnreadablePdfError(f"{Path(request[0]).name}: answer not sendable ({exc})")))
        _send(replies, data)
        if not healthy:
            return  # after a MemoryError nothing in this process is trusted; the next file gets a new reader


def _limit_memory(memory_mb: int) -> None:
    """Cap the address space at what the idle reader holds plus `memory_mb`."""
    held = _address_space_bytes()
    cap = held + memory_mb * 1024 * 1024
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard != resource.RLIM_INFINITY:
        cap = min(cap, hard)
    resource.setrlimit(resource.RLIMIT_AS, (cap, hard))


def _address_space_bytes() -> int:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")


def _answer(
    path: str,
    source_url: str | None,
    strict: bool,
    limits: ExtractionLimits,
    settings: dict[str, str],
    second_reading: bool,
    *,
    memory_mb: int,
):
    from .document import Document
    from .registry import read_document, with_second_reading

    for stale in [n for n in os.environ if n.startswith(SETTINGS_PREFIX) and n not in settings]:
        del os.environ[stale]
    os.environ.update(settings)
    name = Path(path).name
    try:
        # The reader is single-threaded, so recording Python warnings here is safe.
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            document = Document.open(path, limits)
        damage = [w for w in caught if not issubclass(w.category, _NOT_DAMAGE)]
        if damage:
            raise UnreadablePdfError(
                f"{name}: damaged PDF, the parser could not read all of it ({' '.join(str(damage[0].message).split())})"
            )
        report = read_document(document, source_url, strict=strict)
        # camelot reads the file again inside this reader, so its time and memory are bounded too.
        return ("report", with_second_reading(report) if second_reading else report), True
    except ExtractionError as exc:
        return ("error", exc), True
    except MemoryError:
        return (
            "error",
            ExtractionLimitError(f"{name}: reading it needs more than {memory_mb} MB of memory (damaged?)"),
        ), False
    except RecursionError:
        return ("error", UnreadablePdfError(f"{name}: not a readable PDF (objects nested too deeply)")), True
    except Exception as exc:
        if type(exc).__module__.startswith("extractors."):
            return ("error", exc), True  # one of our own errors (bad configuration, ...): the caller's to handle
        # Not the parser (Document.open turns all of its failures into UnreadablePdfError): a section
        # reader met words it did not expect. Still one line, never a traceback, and the run goes on.
        detail = " ".join(str(exc).split())[:160]
        return (
            "error",
            UnreadablePdfError(
                f"{name}: extraction failed unexpectedly ({type(exc).__name__}: {detail}); please report"
            ),
        ), True


if __name__ == "__main__":
    _serve(int(sys.argv[1]))
