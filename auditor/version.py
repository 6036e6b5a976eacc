"""The version, in one place (the report signature and every report carry it)."""

__version__ = "0.1.0"
