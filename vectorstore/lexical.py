"""The lexical index: BM25 over jieba tokens, derived from the store and rebuilt from it at will.

The user dictionary (`userdict.txt`: indicator names) and the place names of the stored
reports keep names such as "金融业增加值" or "惠济区" whole, so a query term matches the
report's own term rather than its fragments.

Example:
    >>> index = LexicalIndex.build([("a", "郑州市金融业增加值1302.9亿元"), ("b", "新乡市粮食总产量")])
    >>> [key for key, _ in index.search("金融业增加值多少", 1)]
    ['a']
"""
from __future__ import annotations

import hashlib
import re
import threading
from collections.abc import Iterable, Sequence
from pathlib import Path

import bm25s
import jieba
import numpy as np
import orjson

jieba.setLogLevel(60)  # jieba logs its dictionary loading at INFO on every start

# The indicator names jieba keeps whole ("新增城镇就业", "中欧班列"), for tokenizers of their own too.
USERDICT = Path(__file__).with_name("userdict.txt")
_dictionary_lock = threading.Lock()
_loaded_words: set[str] = set()
_K1, _B = 1.5, 0.75
_KEYS_FILE = "keys.json"
_TOKEN = re.compile(r"[\u4e00-\u9fff]|[A-Za-z]+|\d+(?:\.\d+)?%?")
# Function words and question words that say nothing about which passage is meant.
_STOP = frozenset(
    "的 了 和 与 及 等 是 在 对 把 被 为 以 于 从 到 上 中 下 个 多少 几 哪 哪些 哪个 什么 怎么 如何 呢 吗 啊 "
    "有 有没有 没有 要 会 将 这 那 其 之 并 也 还 又 都 就 而 或 我们 今年 全年 一年 分别 各 报告 政府 工作 "
    "说 讲 提到 计划 目标 达到 多大 是否 一共 共 是谁 谁 各是 分别是".split()
)


def add_words(words: Iterable[str]) -> None:
    """Teach jieba words (place names) that must stay whole; cheap to call again with the same words."""
    with _dictionary_lock:
        if not _loaded_words:
            jieba.load_userdict(str(USERDICT))
            _loaded_words.add("")
        for word in words:
            if word and word not in _loaded_words:
                jieba.add_word(word, freq=20000, tag="ns")
                _loaded_words.add(word)


def _indicators() -> tuple[str, ...]:
    """The indicator names of the user dictionary, longest first."""
    words = [line.split()[0] for line in USERDICT.read_text(encoding="utf-8").splitlines() if line.strip()]
    return tuple(sorted(set(words), key=len, reverse=True))


_INDICATORS = _indicators()


def indicator_terms(text: str) -> list[str]:
    """Indicator names of the user dictionary written in `text`, longest first, none inside another."""
    found: list[str] = []
    for word in _INDICATORS:
        if word in text and not any(word in longer for longer in found):
            found.append(word)
    return found


def tokenize(text: str) -> list[str]:
    """Search-mode jieba tokens of `text`, lower-cased, without punctuation and stop words."""
    add_words(())
    out = []
    for token in jieba.cut_for_search(text):
        token = token.strip().lower()
        if token and token not in _STOP and _TOKEN.search(token):
            out.append(token)
    return out


def dictionary_fingerprint() -> str:
    """A hash of everything `tokenize` depends on: this module, jieba's version, the user dictionary, the added words.

    Tokens cached under one fingerprint are what `tokenize` gives as long as it stays the same.
    """
    add_words(())
    with _dictionary_lock:
        words = "\n".join(sorted(_loaded_words))
    digest = hashlib.sha256(Path(__file__).read_bytes())
    for part in (jieba.__version__, USERDICT.read_text(encoding="utf-8"), words):
        digest.update(b"\0" + part.encode("utf-8"))
    return digest.hexdigest()[:16]


class LexicalIndex:
    """A BM25 index (Okapi, k1=1.5, b=0.75, Lucene's idf) over (key, text) pairs, in `bm25s`' sparse matrices.

    Scores are BM25's as written: idf · tf·(k1+1) / (tf + k1·(1−b+b·len/avglen)), with
    idf = ln(1 + (N−df+0.5)/(df+0.5)); a query term counts once however often it is written.
    The index can be saved to a folder and loaded back memory-mapped (`save`, `load`), so a
    large library's index is not rebuilt at every start.
    """

    def __init__(self, keys: Sequence[str], bm25: bm25s.BM25 | None) -> None:
        self.keys = list(keys)
        self._bm25 = bm25  # None: nothing indexed

    @classmethod
    def build(cls, items: Iterable[tuple[str, str]]) -> "LexicalIndex":
        """Index (key, text) pairs."""
        return cls.from_tokens((key, tokenize(text)) for key, text in items)

    @classmethod
    def from_tokens(cls, items: Iterable[tuple[str, Sequence[str]]]) -> "LexicalIndex":
        """Index (key, tokens) pairs, the tokens as `tokenize` gives them (say, from a cache)."""
        keys: list[str] = []
        corpus: list[list[str]] = []
        for key, tokens in items:
            keys.append(key)
            corpus.append(list(tokens))
        if not keys:
            return cls([], None)
        bm25 = bm25s.BM25(k1=_K1, b=_B, method="lucene", dtype="float64")
        bm25.index(corpus, show_progress=False)
        return cls(keys, bm25)

    def save(self, folder: Path) -> None:
        """Write the index into `folder` (created if missing), for `load`."""
        folder.mkdir(parents=True, exist_ok=True)
        (folder / _KEYS_FILE).write_bytes(orjson.dumps(self.keys))
        if self._bm25 is not None:
            self._bm25.save(str(folder), show_progress=False)

    @classmethod
    def load(cls, folder: Path) -> "LexicalIndex":
        """The index `save` wrote into `folder`, its matrices memory-mapped; OSError or ValueError if unreadable."""
        keys = orjson.loads((folder / _KEYS_FILE).read_bytes())
        if not keys:
            return cls([], None)
        bm25 = bm25s.BM25.load(str(folder), mmap=True, show_progress=False)
        if bm25.scores["num_docs"] != len(keys):
            raise ValueError(f"{folder}: {bm25.scores['num_docs']} documents indexed for {len(keys)} keys")
        return cls(keys, bm25)

    def __len__(self) -> int:
        return len(self.keys)

    def scores(self, query: str) -> np.ndarray:
        """The BM25 score of every indexed text for `query` (zeros where no term matches)."""
        if self._bm25 is None:
            return np.zeros(0)
        terms = [t for t in dict.fromkeys(tokenize(query)) if t in self._bm25.vocab_dict]
        if not terms:
            return np.zeros(len(self.keys))
        # bm25s' Lucene variant leaves out BM25's constant factor (k1+1); put back, the scores are BM25's own.
        return np.asarray(self._bm25.get_scores(terms), dtype=np.float64) * (_K1 + 1)

    def search(self, query: str, n: int, allowed: np.ndarray | None = None) -> list[tuple[str, float]]:
        """The `n` best (key, score) pairs with a positive score; `allowed` is an optional boolean mask."""
        scores = self.scores(query)
        if allowed is not None and len(scores):
            scores = np.where(allowed, scores, 0.0)
        rows = np.flatnonzero(scores > 0)
        if n <= 0 or not len(rows):
            return []
        if len(rows) > n:  # a partial sort: a full one costs ~15 ms at 200,000 passages, per search
            kept = scores[rows]
            rows = rows[kept >= np.partition(kept, len(kept) - n)[len(kept) - n]]  # ties at the cut all stay
        top = rows[np.lexsort((rows, -scores[rows]))][:n]  # best first; ties in index order
        return [(self.keys[i], float(scores[i])) for i in top]
