"""How much work reading one report PDF may take: time, pages, content stream size and memory.

Each limit is the largest real-looking issue measured on the shipped (synthetic) samples in
tests/pdfs and raw_pdfs, times a wide margin, so that no plausible issue comes near it while a
damaged or hostile file (a 2,000-page tree, a 5 MB content stream packed into 40 KB, a page of
endless lines) is refused in seconds instead of holding a monthly run for minutes and gigabytes.
Measured on 2026-12-04 on the development machine; `benchmarks/bounded.py` measures them again.

Every limit can be overridden with an environment variable (a deployment on a slower machine, a
test that wants a tight limit); `ExtractionLimits.from_env` reads them.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Mapping

from .errors import ExtractionError

#: Slowest sample: dtm_wb/2024-11.pdf, 0.27-0.61 s for the whole extraction on an idle machine and
#: 2.2 s with the machine at load 10 on 2 cores (benchmarks/bounded.py); 30 s is 50x idle, 14x loaded.
MAX_SECONDS = 30.0
#: Largest sample: 4 pages (the DTM issues; UNHCR prints 2). 12x.
MAX_PAGES = 50
#: Largest decoded content stream of one page in the samples: 22,505 bytes (dtm_wb/2024-10.pdf). 44x.
MAX_STREAM_BYTES = 1_000_000
#: Largest peak memory a process adds while extracting one sample: 35.0 MB resident (dtm_wb/2024-12.pdf,
#: over the ~125 MB the process holds with the extractors imported). 15x, as address space (RLIMIT_AS).
MAX_MEMORY_MB = 512

#: Environment variables overriding each limit.
ENV_VARS = {
    "seconds": "MIXEDFLOWS_MAX_SECONDS",
    "pages": "MIXEDFLOWS_MAX_PAGES",
    "stream_bytes": "MIXEDFLOWS_MAX_STREAM_BYTES",
    "memory_mb": "MIXEDFLOWS_MAX_MEMORY_MB",
}


class ExtractionLimitError(ExtractionError):
    """Reading the file needed more time, pages, stream bytes or memory than a report ever does."""


@dataclasses.dataclass(frozen=True)
class ExtractionLimits:
    """The most one extraction may take; see the module docstring for how each was chosen."""

    seconds: float = MAX_SECONDS
    pages: int = MAX_PAGES
    stream_bytes: int = MAX_STREAM_BYTES
    memory_mb: int = MAX_MEMORY_MB

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> ExtractionLimits:
        """The defaults, with any limit named in the environment (ENV_VARS) in its place."""
        environ = os.environ if environ is None else environ
        values: dict[str, float | int] = {}
        for field, name in ENV_VARS.items():
            text = environ.get(name, "").strip()
            if not text:
                continue
            kind = float if field == "seconds" else int
            try:
                value = kind(text)
            except ValueError:
                value = 0
            if not value > 0:
                raise ExtractionError(f"{name}={text!r}: not a positive number")
            values[field] = value
        return cls(**values)
