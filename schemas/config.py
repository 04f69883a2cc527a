"""Validation settings: which rules run, at which severity, with which tolerances, and the acknowledgements.

Defaults live in code (`schemas.rules.RULES`); `config/validation.toml` overrides them per rule:

    [rules.sum_to_total]
    enabled = true
    severity = "error"
    tolerance = 0
"""

from __future__ import annotations

import dataclasses
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from .acknowledgements import Acknowledgement, acknowledgement_notes, load_acknowledgements
from .errors import ValidationConfigError
from .rules import RULES
from .violations import SEVERITIES

#: File names inside a configuration directory.
VALIDATION_FILE = "validation.toml"
ACKNOWLEDGEMENTS_FILE = "acknowledgements.toml"


@dataclasses.dataclass(frozen=True)
class RuleSettings:
    """How one rule runs: whether at all, at which severity, and its options (tolerances)."""

    enabled: bool
    severity: str
    options: Mapping[str, Any]


@dataclasses.dataclass(frozen=True)
class ValidationConfig:
    """Every rule's settings and the acknowledged violations."""

    rules: Mapping[str, RuleSettings]
    acknowledgements: tuple[Acknowledgement, ...] = ()

    @classmethod
    def defaults(cls) -> ValidationConfig:
        """Every rule enabled at its default severity and options; nothing acknowledged."""
        return cls({rule_id: RuleSettings(True, rule.severity, rule.options) for rule_id, rule in RULES.items()})

    @property
    def severities(self) -> dict[str, str]:
        return {rule_id: settings.severity for rule_id, settings in self.rules.items()}

    @property
    def notes(self) -> Mapping[tuple[str, str, str], str]:
        """(report_id, rule, key) -> who acknowledged the violation, when and why."""
        return acknowledgement_notes(self.acknowledgements)

    def enabled(self, rule_id: str) -> bool:
        return self.rules[rule_id].enabled


def load_config(config_dir: Path | None) -> ValidationConfig:
    """The settings in `config_dir` (`validation.toml`, `acknowledgements.toml`); defaults where absent.

    Parameters
    ----------
    config_dir
        The project's configuration directory; None gives the defaults with no acknowledgements.

    Raises
    ------
    ValidationConfigError
        With one line naming the file and what is wrong in it.
    """
    if config_dir is None:
        return ValidationConfig.defaults()
    rules = load_rule_settings(config_dir / VALIDATION_FILE)
    acknowledgements = load_acknowledgements(config_dir / ACKNOWLEDGEMENTS_FILE, known_rules=RULES)
    return ValidationConfig(rules, acknowledgements)


def load_rule_settings(path: Path) -> dict[str, RuleSettings]:
    """Every rule's settings: the defaults, overridden by `path` when it exists."""
    settings = dict(ValidationConfig.defaults().rules)
    if not path.exists():
        return settings
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ValidationConfigError(f"{path}: not valid TOML ({exc})") from exc
    unknown = sorted(set(data) - {"rules"})
    if unknown:
        raise ValidationConfigError(f"{path}: unknown section(s) {unknown}; only [rules.<id>] tables belong here")
    for rule_id, table in data.get("rules", {}).items():
        settings[rule_id] = _rule_settings(path, rule_id, table, settings.get(rule_id))
    return settings


def _rule_settings(path: Path, rule_id: str, table: Any, default: RuleSettings | None) -> RuleSettings:
    where = f"{path}: [rules.{rule_id}]"
    if rule_id not in RULES or default is None:
        raise ValidationConfigError(f"{where}: unknown rule (known: {', '.join(RULES)})")
    if not isinstance(table, dict):
        raise ValidationConfigError(f"{where}: must be a table of settings")
    rule = RULES[rule_id]
    enabled = table.get("enabled", default.enabled)
    severity = table.get("severity", default.severity)
    if not isinstance(enabled, bool):
        raise ValidationConfigError(f"{where}: enabled must be true or false, not {enabled!r}")
    if severity not in SEVERITIES:
        raise ValidationConfigError(f"{where}: severity must be one of {list(SEVERITIES)}, not {severity!r}")
    if rule.warning_only and severity != "warning":
        raise ValidationConfigError(f"{where}: this rule can only be a warning (the figures count different things)")
    options = dict(default.options)
    for name, value in table.items():
        if name in ("enabled", "severity"):
            continue
        if name not in options:
            known = ", ".join(["enabled", "severity", *options])
            raise ValidationConfigError(f"{where}: unknown setting {name!r} (known: {known})")
        options[name] = _option_value(where, name, value, options[name])
    return RuleSettings(enabled, severity, options)


def _option_value(where: str, name: str, value: Any, default: Any) -> Any:
    if isinstance(default, (int, float)) and not isinstance(default, bool):
        if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0:
            raise ValidationConfigError(f"{where}: {name} must be a number >= 0, not {value!r}")
        return float(value)
    if isinstance(default, (tuple, list)):
        if not isinstance(value, list) or not all(isinstance(item, list) and len(item) == 2 for item in value):
            raise ValidationConfigError(f"{where}: {name} must be a list of [indicator, indicator] pairs")
        return tuple(tuple(str(v) for v in item) for item in value)
    return value
