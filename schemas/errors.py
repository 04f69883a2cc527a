"""Errors in validation input: configuration and acknowledgements files, each message naming the file."""

from __future__ import annotations


class ValidationConfigError(ValueError):
    """`validation.toml` or `acknowledgements.toml` cannot be read or says something impossible."""
