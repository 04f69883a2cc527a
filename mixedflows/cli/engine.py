"""`--engine`: which document engine reads the PDFs (pdfplumber, the reference, or pdfium, the fast one)."""

from __future__ import annotations

import enum
import os
from typing import Annotated

import typer

from extractors.document import DEFAULT_ENGINE, ENGINE_ENV


class Engine(enum.StrEnum):
    pdfplumber = "pdfplumber"
    pdfium = "pdfium"


def _use_engine(ctx: typer.Context, engine: Engine | None) -> Engine | None:
    """Name the engine in the environment, so reader processes, flows and Dask workers read with it too."""
    if engine is None or ctx.resilient_parsing:
        return engine
    previous = os.environ.get(ENGINE_ENV)
    os.environ[ENGINE_ENV] = engine.value
    ctx.call_on_close(lambda: _restore(previous))
    return engine


def _restore(previous: str | None) -> None:
    if previous is None:
        os.environ.pop(ENGINE_ENV, None)
    else:
        os.environ[ENGINE_ENV] = previous


EngineOption = Annotated[
    Engine | None,
    typer.Option(
        "--engine",
        callback=_use_engine,
        help=f"Document engine reading the PDFs (default ${ENGINE_ENV}, else {DEFAULT_ENGINE}); same facts either way.",
    ),
]
