"""Provenance from git: who created and changed each card and cited file, and who recorded
each reviewer's decision (issue 12). Core only: nothing here renders, and nothing imports
MkDocs. ``provenance(dossier, cache_dir)`` is the one entry point; see ``report``."""

from mltrl_docs.provenance.blame import DecisionRecord, same_person
from mltrl_docs.provenance.history import Commit, FileHistory
from mltrl_docs.provenance.report import (
                                          MAX_COMMITS,
                                          NO_PROVENANCE,
                                          ProvenanceReport,
                                          ProvenanceSettings,
                                          Repository,
                                          provenance,
)

__all__ = ["MAX_COMMITS", "NO_PROVENANCE", "Commit", "DecisionRecord", "FileHistory", "ProvenanceReport",
           "ProvenanceSettings", "Repository", "provenance", "same_person"]
