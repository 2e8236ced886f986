"""Adapters to site engines. Only this package imports MkDocs (or ProperDocs)."""
