"""The errors a user sees as one line and exit code 2 (``auditor.cli``): a wrong use of the
command line or the API, and a bad configuration. Errors of one input file are not exceptions
but ``auditor.ingest.InputError`` records: the rest of the corpus is still audited."""

from __future__ import annotations


class UsageError(Exception):
    """Wrong use of the command line (or of the API): exit 2 with the message."""


class ConfigError(Exception):
    """A configuration problem; the message is one line."""
