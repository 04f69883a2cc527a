"""The review workflow and rule configuration: acknowledgements files, validation.toml, and what they change."""

from __future__ import annotations

import datetime as dt
import tomllib
from pathlib import Path

import pytest

from schemas import Acknowledgement, ValidationConfig, ValidationConfigError, append_acknowledgement, load_config
from schemas.acknowledgements import load_acknowledgements
from schemas.validate import validate_report
from schemas.violations import blocking
from tests.support.truth_frames import truth_frame

KEY = "asylum_applications/WB/2024-01-01..2024-12-31"
WHEN = dt.datetime(2025, 1, 20, 9, 30, tzinfo=dt.UTC)

#: The configuration versioned with the project.
PROJECT_CONFIG_DIR = Path(__file__).resolve().parents[2] / "config"


def acknowledgement(**changes: object) -> Acknowledgement:
    fields = {
        "report_id": "dtm-wb-2024-12",
        "rule": "sum_to_total",
        "key": KEY,
        "reason": 'The PDF\'s table prints 957 by country and "1,017" as Total (p. 4).',
        "who": "Ana Reviewer",
        "when": WHEN,
    }
    return Acknowledgement(**{**fields, **changes})


def test_project_configuration_is_the_documented_defaults() -> None:
    """config/validation.toml repeats the defaults in code, and ships no acknowledgement."""
    config = load_config(PROJECT_CONFIG_DIR)
    assert config.rules == ValidationConfig.defaults().rules
    assert config.acknowledgements == ()


def test_acknowledged_violation_stays_visible_but_does_not_block(tmp_path: Path) -> None:
    """After acknowledging the Dec 2024 asylum discrepancy it is still reported, marked, and no longer blocks."""
    append_acknowledgement(tmp_path / "acknowledgements.toml", acknowledgement())
    violations = validate_report(truth_frame("dtm-wb-2024-12"), config=load_config(tmp_path))
    (row,) = violations.itertuples(index=False)
    assert row.acknowledged and row.rule == "sum_to_total"
    assert row.acknowledgement.startswith("acknowledged by Ana Reviewer on 2025-01-20: The PDF's table")
    assert blocking(violations).empty


def test_acknowledgement_of_another_key_does_not_apply(tmp_path: Path) -> None:
    """An acknowledgement names one figure: the same rule on another key still blocks."""
    append_acknowledgement(
        tmp_path / "acknowledgements.toml", acknowledgement(key="avrr_returns/WB/2024-01-01..2024-12-31")
    )
    violations = validate_report(truth_frame("dtm-wb-2024-12"), config=load_config(tmp_path))
    assert len(blocking(violations)) == 1


def test_acknowledgements_file_round_trips_and_keeps_its_text(tmp_path: Path) -> None:
    """Appended entries read back exactly; quotes in a reason survive; earlier lines are untouched."""
    path = tmp_path / "acknowledgements.toml"
    path.write_text("# reviewed monthly\n")
    first = acknowledgement()
    second = acknowledgement(rule="repeated_figure", who="Bo", reason="both printings checked")
    append_acknowledgement(path, first)
    append_acknowledgement(path, second)
    assert load_acknowledgements(path) == (first, second)
    assert path.read_text().startswith("# reviewed monthly\n")
    assert tomllib.loads(path.read_text())["acknowledgement"][0]["when"] == WHEN


def test_acknowledging_twice_is_refused(tmp_path: Path) -> None:
    """The same violation cannot be acknowledged twice; the message says by whom it already was."""
    path = tmp_path / "acknowledgements.toml"
    append_acknowledgement(path, acknowledgement())
    with pytest.raises(ValidationConfigError, match="already acknowledged by Ana Reviewer on 2025-01-20"):
        append_acknowledgement(path, acknowledgement(who="Someone Else"))


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[[acknowledgement]]\nreport_id = 'dtm-wb-2024-12'\n", r"acknowledgement #1: missing \['rule'"),
        ("not toml = = 1", "not valid TOML"),
        (
            "[[acknowledgement]]\nreport_id='dtm-wb-2024-12'\nrule='sum_of_parts'\nkey='k'\nreason='r'\nwho='w'\n"
            "when=2025-01-20T09:30:00Z\n",
            "unknown rule 'sum_of_parts'",
        ),
        (
            "[[acknowledgement]]\nreport_id='dtm-2024-12'\nrule='sum_to_total'\nkey='k'\nreason='r'\nwho='w'\n"
            "when=2025-01-20T09:30:00Z\n",
            "is not like 'dtm-wb-2024-12'",
        ),
        (
            "[[acknowledgement]]\nreport_id='dtm-wb-2024-12'\nrule='sum_to_total'\nkey='k'\nreason=' '\nwho='w'\n"
            "when=2025-01-20T09:30:00Z\n",
            "reason is empty",
        ),
    ],
)
def test_bad_acknowledgements_file_is_named(tmp_path: Path, text: str, message: str) -> None:
    """A hand-edited acknowledgements file with a mistake fails with one line naming it and the entry."""
    (tmp_path / "acknowledgements.toml").write_text(text)
    with pytest.raises(ValidationConfigError, match=message) as caught:
        load_config(tmp_path)
    assert "acknowledgements.toml" in str(caught.value)


def test_validation_toml_overrides_the_defaults(tmp_path: Path) -> None:
    """Severity, enabling and tolerances come from validation.toml; unnamed rules keep their defaults."""
    (tmp_path / "validation.toml").write_text(
        "[rules.sum_to_total]\nseverity = 'warning'\ntolerance = 5\n\n[rules.revised_figure]\nenabled = false\n"
    )
    config = load_config(tmp_path)
    assert config.rules["sum_to_total"].severity == "warning"
    assert config.rules["sum_to_total"].options == {"tolerance": 5.0}
    assert not config.enabled("revised_figure")
    assert config.rules["share_sum"] == ValidationConfig.defaults().rules["share_sum"]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[rules.sum_of_parts]\nenabled = true\n", "unknown rule"),
        ("[rules.sum_to_total]\nslack = 1\n", "unknown setting 'slack'"),
        ("[rules.sum_to_total]\nseverity = 'fatal'\n", "severity must be one of"),
        ("[rules.sum_to_total]\ntolerance = -1\n", "must be a number >= 0"),
        ("[rules.cross_publisher]\nseverity = 'error'\n", "can only be a warning"),
        ("[alerts]\nurls = []\n", "unknown section"),
    ],
)
def test_bad_validation_toml_is_named(tmp_path: Path, text: str, message: str) -> None:
    """A mistake in validation.toml fails with one line naming the file, the rule and what is wrong."""
    (tmp_path / "validation.toml").write_text(text)
    with pytest.raises(ValidationConfigError, match=message) as caught:
        load_config(tmp_path)
    assert "validation.toml" in str(caught.value)


def test_docs_document_every_rule() -> None:
    """Every registered rule has a row in docs/VALIDATION.md's rules table, at its default severity."""
    from schemas import RULES

    readme = (PROJECT_CONFIG_DIR.parent / "docs" / "VALIDATION.md").read_text(encoding="utf-8")
    for rule in RULES.values():
        assert f"| `{rule.id}` | {rule.severity} |" in readme, rule.id
