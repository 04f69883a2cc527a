"""mixedflows: validated, versioned, traceable data from the Western Balkans mixed-migration reports."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("mixedflows")
except PackageNotFoundError:  # running from a source tree that was not installed
    __version__ = "0.0.0"
