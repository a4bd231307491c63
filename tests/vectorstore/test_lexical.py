"""The lexical index: BM25 as written (Okapi, Lucene's idf), in bm25s, saved and loaded back."""
from __future__ import annotations

import math
from collections import Counter
from pathlib import Path

import numpy as np

from vectorstore.lexical import LexicalIndex, tokenize

PASSAGES = {
    "a": "郑州市2020年金融业增加值1302.9亿元，增长7.7%。",
    "b": "新乡市粮食总产量稳定在90亿斤以上，高标准农田建设持续推进。",
    "c": "地区生产总值增长6.5%左右，一般公共预算收入增长5%。",
    "d": "金融业增加值占地区生产总值比重提高，金融机构存款余额增长。",
    "e": "粮食产量再创新高，高标准农田新增50万亩。",
    "f": "PM2.5平均浓度下降10%，空气质量优良天数增加。",
}
QUESTIONS = ["金融业增加值多少", "高标准农田", "地区生产总值增长多少", "粮食产量", "PM2.5浓度下降", "金融 金融 存款",
             "没有的词语"]


def _reference_scores(tokens: dict[str, list[str]], query: str, k1: float = 1.5, b: float = 0.75) -> np.ndarray:
    """BM25 straight from its formula, as the index computed it before bm25s."""
    n = len(tokens)
    average = sum(map(len, tokens.values())) / n
    df = Counter(t for ts in tokens.values() for t in set(ts))
    out = np.zeros(n)
    for term in set(tokenize(query)):
        if term not in df:
            continue
        idf = math.log(1 + (n - df[term] + 0.5) / (df[term] + 0.5))
        for i, ts in enumerate(tokens.values()):
            tf = ts.count(term)
            out[i] += idf * tf * (k1 + 1) / (tf + k1 * (1 - b + b * len(ts) / average))
    return out


def test_scores_are_bm25s_formula_and_the_ranking_is_the_old_one() -> None:
    index = LexicalIndex.build(PASSAGES.items())
    tokens = {key: tokenize(text) for key, text in PASSAGES.items()}
    for question in QUESTIONS:
        expected = _reference_scores(tokens, question)
        assert np.allclose(index.scores(question), expected, rtol=1e-9, atol=1e-12)
        order = np.argsort(-expected, kind="stable")
        assert [key for key, _ in index.search(question, 3)] == [list(PASSAGES)[i] for i in order[:3] if expected[i] > 0]


def test_search_keeps_to_the_allowed_passages_and_positive_scores() -> None:
    index = LexicalIndex.build(PASSAGES.items())
    allowed = np.array([key in ("b", "e") for key in PASSAGES])
    assert {key for key, _ in index.search("粮食产量 金融业增加值", 10, allowed)} == {"b", "e"}
    assert index.search("没有的词语", 5) == []
    assert LexicalIndex.build([]).search("粮食", 5) == [] and len(LexicalIndex.build([])) == 0


def test_a_saved_index_loads_back_with_the_same_results(tmp_path: Path) -> None:
    index = LexicalIndex.build(PASSAGES.items())
    index.save(tmp_path / "bm25")
    loaded = LexicalIndex.load(tmp_path / "bm25")
    assert loaded.keys == index.keys
    for question in QUESTIONS:
        assert loaded.search(question, 6) == index.search(question, 6)
    LexicalIndex.build([]).save(tmp_path / "empty")
    assert len(LexicalIndex.load(tmp_path / "empty")) == 0


def test_the_best_n_are_those_of_a_full_stable_sort_ties_in_index_order() -> None:
    words = ["粮食产量", "金融业增加值", "高标准农田", "地区生产总值", "存款余额"]
    rng = np.random.default_rng(1)
    texts = {f"k{i:03d}": "，".join(rng.choice(words, size=int(rng.integers(1, 4)))) for i in range(300)}
    index = LexicalIndex.build(texts.items())
    for question in ["粮食产量", "金融业增加值 存款余额", "高标准农田 地区生产总值 粮食产量"]:
        scores = index.scores(question)
        order = [i for i in np.argsort(-scores, kind="stable") if scores[i] > 0]
        for n in (1, 7, 50, 400):
            assert [key for key, _ in index.search(question, n)] == [index.keys[i] for i in order[:n]]
