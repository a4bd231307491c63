"""Settings: every tunable of govqa in one place, read from the environment.

Thresholds that decide behaviour (refusal, retrieval weights) live here, with the
reason for their value, so they are visible and calibrated rather than buried in code.

Example:
    >>> settings = Settings.from_env()
    >>> settings.store_dir
    PosixPath('/root/.local/share/govqa/store')
"""
from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path


class SettingsError(ValueError):
    """A setting that cannot work, with a one-line reason for the user."""


def _default_store_dir() -> Path:
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "govqa" / "store"


def _env_number(env: Mapping[str, str], name: str, default: float, zero_allowed: bool = False) -> float:
    """The number the variable `name` holds (`default` when unset): positive, or also 0 when
    `zero_allowed` (a wait of 0 s means "do not wait"); anything else is a SettingsError."""
    raw = env.get(name, "").strip()
    if not raw:
        return default
    try:
        value = float(raw)
    except ValueError:
        value = float("nan")
    if not (value >= 0 if zero_allowed else value > 0) or value == float("inf"):  # also refuses nan
        raise SettingsError(f"{name}={raw!r} 不是{'非负数' if zero_allowed else '正数'}")
    return value


def _default_model_cache() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "govqa" / "models"


@dataclass(frozen=True)
class RetrievalSettings:
    """How candidates are gathered and fused."""

    dense_candidates: int = 40
    lexical_candidates: int = 40
    # Reciprocal-rank-fusion constant; 60 is the value of the original RRF paper.
    rrf_k: int = 60
    dense_weight: float = 0.5
    lexical_weight: float = 1.0
    # The share of the lexical weight given to BM25 over passages without their headers, which tells apart
    # the passages of one document (a header is the same for all of them).
    passage_share: float = 0.5
    # The first passage of each search is kept among this many, however the fusion ranks it.
    lead_within: int = 5
    # Multiplier for passages about the year a question asks for (plan or review year).
    year_boost: float = 1.5
    # Multiplier for passages of the report that plans the year asked for or of the next one, which reviews it:
    # where a year's figures stand even when the passage writes no year ("钢产量达到5205万吨" in 1987's review).
    report_year_boost: float = 1.25
    # Passages returned with every answer (the contract asks for at least 10).
    top_k: int = 10


@dataclass(frozen=True)
class AnswerSettings:
    """How the extractive answerer picks and when it refuses."""

    passages_considered: int = 6
    max_sentences: int = 3
    # A sentence must score at least this (0..1, see rag/generate/extractive.py) to be
    # used; below it for the best sentence the answer is a refusal. Calibrated on dev.
    min_sentence_score: float = 0.34


@dataclass(frozen=True)
class LLMSettings:
    """An OpenAI-compatible endpoint (DeepSeek, Qwen, vLLM, Ollama, ...)."""

    base_url: str | None = None
    model: str | None = None
    api_key: str | None = None
    timeout_s: float = 60.0


@dataclass(frozen=True)
class Settings:
    """All of govqa's settings; build with `Settings.from_env()`."""

    store_dir: Path = field(default_factory=_default_store_dir)
    model_cache: Path = field(default_factory=_default_model_cache)
    chroma_url: str | None = None
    max_file_bytes: int = 50 * 1024 * 1024
    # How long a writer waits for another writing the same store before refusing (GOVQA_LOCK_TIMEOUT):
    # long enough for another ingest of a few dozen reports to finish.
    lock_timeout_s: float = 600.0
    generator: str = "extractive"
    retrieval: RetrievalSettings = field(default_factory=RetrievalSettings)
    answer: AnswerSettings = field(default_factory=AnswerSettings)
    llm: LLMSettings = field(default_factory=LLMSettings)

    @classmethod
    def from_env(cls, store_dir: str | Path | None = None) -> "Settings":
        """Read settings from GOVQA_* variables; `store_dir` (from --store) wins over GOVQA_STORE."""
        env = os.environ
        store = store_dir or env.get("GOVQA_STORE")
        settings = cls(
            store_dir=Path(store).expanduser() if store else _default_store_dir(),
            model_cache=Path(env["GOVQA_MODEL_CACHE"]).expanduser()
            if env.get("GOVQA_MODEL_CACHE")
            else _default_model_cache(),
            chroma_url=env.get("GOVQA_CHROMA_URL") or None,
            max_file_bytes=int(_env_number(env, "GOVQA_MAX_FILE_MB", 50) * 1024 * 1024),
            lock_timeout_s=_env_number(env, "GOVQA_LOCK_TIMEOUT", 600.0, zero_allowed=True),
            generator=env.get("GOVQA_GENERATOR", "extractive"),
            llm=LLMSettings(
                base_url=env.get("GOVQA_LLM_BASE_URL") or None,
                model=env.get("GOVQA_LLM_MODEL") or None,
                api_key=env.get("GOVQA_LLM_API_KEY") or None,
                timeout_s=_env_number(env, "GOVQA_LLM_TIMEOUT", 60),
            ),
        )
        settings.validate()
        return settings

    def with_store(self, store_dir: Path) -> "Settings":
        """A copy pointing at another store folder."""
        return replace(self, store_dir=store_dir)

    def validate(self) -> None:
        """Raise SettingsError with a clear reason when a setting cannot work."""
        if self.store_dir.exists() and not self.store_dir.is_dir():
            raise SettingsError(f"存储路径不是文件夹：{self.store_dir}")
        if self.generator not in ("extractive", "openai"):
            raise SettingsError(f"未知的生成器 {self.generator!r}（可选 extractive、openai）")
        if self.generator == "openai" and not (self.llm.base_url and self.llm.model):
            raise SettingsError("使用 openai 生成器需要设置 GOVQA_LLM_BASE_URL 和 GOVQA_LLM_MODEL")
