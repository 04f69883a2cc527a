"""The version of the code that reads PDFs: the package version plus a hash of what decides extraction.

A run skips a report the store already published from the same PDF bytes *and the same extractor*;
with the package version alone a fixed extractor would skip every report it should re-read. So the
version carries a hash of every file of the `extractors` package (sources and any data beside them)
and of the configuration files extraction reads (`EXTRACTION_CONFIG_FILES`, by name in the
configuration directory; a missing one hashes as absent).
"""

from __future__ import annotations

import functools
import hashlib
from pathlib import Path

import extractors
from extractors.document import engine_setting
from mixedflows import __version__
from mixedflows.settings import config_dir

#: Configuration files that change what extraction reads (names resolved in the configuration
#: directory). Add a file here when an extractor starts reading it.
EXTRACTION_CONFIG_FILES: tuple[str, ...] = ("aliases.toml",)

#: Hex digits of the hash kept in the version string: enough to tell two code states apart.
HASH_DIGITS = 12


def extractor_version(config_directory: Path | None = None, engine: str | None = None) -> str:
    """`<package version>+<hash>.<engine>`, e.g. `0.1.0+3f2a9c1b7d04.pdfplumber`, for the extractor sources,
    config and the document engine that reads the PDFs (so facts read by either engine are traceable).

    Parameters
    ----------
    config_directory
        Where the extraction config files are looked up (default: `mixedflows.settings.config_dir()`).
    engine
        The document engine (default: $MIXEDFLOWS_ENGINE, else `extractors.document.DEFAULT_ENGINE`).
    """
    directory = config_dir() if config_directory is None else config_directory
    digest = source_digest(Path(extractors.__file__).resolve().parent, directory)
    return f"{__version__}+{digest[:HASH_DIGITS]}.{engine_setting(engine)}"


def source_digest(package_dir: Path, config_directory: Path | None) -> str:
    """sha256 over the package's files (relative path and bytes) and the declared config files."""
    digest = hashlib.sha256(_package_digest(package_dir).encode())
    for name in EXTRACTION_CONFIG_FILES:
        path = None if config_directory is None else Path(config_directory) / name
        _add(digest, f"config/{name}", path.read_bytes() if path is not None and path.is_file() else None)
    return digest.hexdigest()


@functools.lru_cache(maxsize=4)
def _package_digest(package_dir: Path) -> str:
    # The code cannot change under a running process (it is imported once); config files can.
    digest = hashlib.sha256()
    files = sorted(
        p for p in package_dir.rglob("*") if p.is_file() and "__pycache__" not in p.parts and p.suffix != ".pyc"
    )
    for path in files:
        _add(digest, f"extractors/{path.relative_to(package_dir).as_posix()}", path.read_bytes())
    return digest.hexdigest()


def _add(digest: hashlib._Hash, name: str, content: bytes | None) -> None:
    # Length-prefixed, so that no two different sets of files can give the same stream of bytes.
    label = name.encode()
    digest.update(len(label).to_bytes(8, "big") + label)
    if content is None:
        digest.update(b"\xff" * 8)
    else:
        digest.update(len(content).to_bytes(8, "big") + content)
