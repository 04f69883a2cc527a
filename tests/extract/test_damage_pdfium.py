"""The damage and fuzz suites again, read by the pdfium engine (issue 12): the fast engine lets no damaged
file through that the reference refuses. It hands any file it cannot vouch for to the reference engine,
so every one-line refusal is the reference's own. Damaged copies of the SYNTHETIC samples only.
"""

from __future__ import annotations

import pytest

from extractors.document import ENGINE_ENV
from tests.cli.test_bad_inputs import *  # noqa: F403 - the same tests, collected again under the pdfium engine
from tests.extract.test_damage import *  # noqa: F403
from tests.fuzz.test_fuzz import *  # noqa: F403


@pytest.fixture(autouse=True)
def _read_with_pdfium(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(ENGINE_ENV, "pdfium")
