"""auditor: a translation-quality auditor for machine-translated, syndicated news."""

from __future__ import annotations

__version__ = "0.1.0"

__all__ = ["__version__", "audit_text", "audit_paths"]


def audit_text(text: str, path: str = "<text>", config=None):
    """Audit one article given as text; returns a DocumentResult."""
    from .config import load_config
    from .document import Document
    from .pipeline import Auditor

    auditor = Auditor(config or load_config(use_files=False))
    return auditor.audit_document(Document(path=path, id=path, text=text))


def audit_paths(paths, config=None):
    """Audit files and directories; yields a DocumentResult per article or bad input."""
    from .config import load_config
    from .ingest import read_paths
    from .pipeline import Auditor

    auditor = Auditor(config or load_config())
    yield from auditor.audit(read_paths(paths))
