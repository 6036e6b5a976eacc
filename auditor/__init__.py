"""auditor: a translation-quality auditor for machine-translated, syndicated news."""

from __future__ import annotations

from .version import __version__

__all__ = ["__version__", "audit_text", "audit_paths"]


def audit_text(text: str, path: str = "<text>", config=None):
    """Audit one article given as text; returns a DocumentResult."""
    from .config import load_config
    from .document import Document
    from .pipeline import Auditor

    auditor = Auditor(config or load_config(use_files=False))
    return auditor.audit_document(Document(path=path, id=path, text=text))


def audit_paths(paths, config=None, reference=None):
    """Audit files and directories as ``auditor check PATH... [--reference REF_PATH]`` does
    (the configuration's ``exclude`` applied, versions of one story compared); yields a
    DocumentResult per article or bad input."""
    from .config import load_config
    from .pipeline import Auditor, corpus_resources, read_inputs

    paths = [str(p) for p in paths]
    config = config or load_config()
    auditor = Auditor(config, corpus_resources(config, paths, reference))
    yield from auditor.audit(read_inputs(paths, config))
