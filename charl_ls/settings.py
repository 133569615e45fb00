"""Typed settings under the `charl` section, declared by the features that read them.

A feature declares each key it reads with its default (`Settings.declare`); the default's type is the
setting's type. Values arrive as JSON from the client (nested objects, as VS Code sends the `charl`
section, or dotted keys); `update` validates them against the declarations, keeps the default for a
value of the wrong type and returns a message for it, so a typo in a user's settings is reported instead
of crashing a handler later. Unknown keys are ignored: clients send settings of every version.

Invariant: the values a handler reads always have the declared type.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

SettingValue = bool | int | float | str


@dataclass(frozen=True, slots=True)
class Setting:
    key: str  # dotted, without the `charl.` prefix: "inlayHints.parameterNames"
    default: SettingValue
    doc: str


class Settings:
    """The declared settings and their current values; replaced wholesale on each update, so a handler on
    another thread reads either the old or the new values, never a mixture of one key."""

    def __init__(self) -> None:
        self._declared: dict[str, Setting] = {}
        self._values: dict[str, SettingValue] = {}

    def declare(self, key: str, default: SettingValue, doc: str) -> None:
        if key in self._declared and self._declared[key].default != default:
            raise ValueError(f"setting charl.{key} declared twice with different defaults")
        self._declared[key] = Setting(key, default, doc)
        self._values.setdefault(key, default)

    def declared(self) -> list[Setting]:
        return sorted(self._declared.values(), key=lambda setting: setting.key)

    def get(self, key: str) -> SettingValue:
        """The current value; KeyError for a key nobody declared (a bug in the feature, not user input)."""
        if key not in self._declared:
            raise KeyError(f"setting charl.{key} is not declared")
        return self._values.get(key, self._declared[key].default)

    def update(self, raw: Any) -> list[str]:
        """Replace the values with those in `raw` (the `charl` section); missing keys get their defaults.
        Returns one message per rejected value."""
        flat = _flatten(raw) if isinstance(raw, Mapping) else {}
        problems = [] if raw is None or isinstance(raw, Mapping) else ["charl settings must be an object"]
        values: dict[str, SettingValue] = {}
        for key, setting in self._declared.items():
            value = flat.get(key, setting.default)
            if not _fits(value, setting.default):
                kind = type(setting.default).__name__
                problems.append(f"charl.{key} must be a {kind}, got {value!r}; using {setting.default!r}")
                value = setting.default
            values[key] = value
        self._values = values
        return problems


def _fits(value: Any, default: SettingValue) -> bool:
    if isinstance(default, bool):
        return isinstance(value, bool)
    if isinstance(default, int):
        return isinstance(value, int) and not isinstance(value, bool)
    if isinstance(default, float):
        return isinstance(value, int | float) and not isinstance(value, bool)
    return isinstance(value, type(default))


def _flatten(raw: Mapping[str, Any], prefix: str = "") -> dict[str, Any]:
    """`{"inlayHints": {"shapes": false}}` and `{"inlayHints.shapes": false}` give `inlayHints.shapes`."""
    flat: dict[str, Any] = {}
    for key, value in raw.items():
        name = f"{prefix}{key}"
        if isinstance(value, Mapping):
            flat.update(_flatten(value, name + "."))
        else:
            flat[name] = value
    return flat
