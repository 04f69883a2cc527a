"""The report families, one package each (see `extractors.registry.FAMILIES` and docs on adding one)."""
