"""Shared fixtures: one real store with the five sample reports, ingested once per test session.

Ingesting embeds ~300 passages (about half a minute here), so every test that needs the
library uses these session-scoped fixtures instead of ingesting again.
"""
from __future__ import annotations

import os

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")  # before numpy loads (see DESIGN.md)

from pathlib import Path  # noqa: E402

import pytest  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
REPORTS = REPO / "data" / "reports"
# The team's shared folder (gold sets, the national corpus) sits beside the repository; a worktree
# elsewhere names it with GOVQA_SHARED.
SHARED = Path(os.environ.get("GOVQA_SHARED") or REPO.parent / "shared")
DEV_SET = SHARED / "eval" / "dev.jsonl"
CORPUS_NATIONAL = SHARED / "corpus-national"


@pytest.fixture(scope="session")
def sample_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store folder holding the five bundled sample reports (read-only for tests: copy before changing it)."""
    from rag.ingest import ingest_paths
    from vectorstore.chroma_store import ChromaStore
    from vectorstore.embedder import get_embedder

    store_dir = tmp_path_factory.mktemp("sample-store")
    outcomes = ingest_paths([REPORTS], ChromaStore.open(store_dir), get_embedder())
    assert [o.status for o in outcomes] == ["added"] * 5
    return store_dir


@pytest.fixture(scope="session")
def service(sample_store: Path):
    """A QAService over the sample store."""
    from rag.chain import QAService
    from rag.settings import Settings

    return QAService.open(Settings.from_env(sample_store))
