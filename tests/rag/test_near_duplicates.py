"""MinHash near-duplicates: an edited copy is near, different reports (made-up and real) are not."""
from __future__ import annotations

import itertools
from pathlib import Path

from rag.near_duplicates import NEAR_DUPLICATE_SIMILARITY, minhash_signature, shingles, similarity
from tests.conftest import CORPUS_NATIONAL

NATIONAL = CORPUS_NATIONAL
REPORT = ("过去一年，全市地区生产总值增长6.5%左右，一般公共预算收入完成26.12亿元，粮食总产量保持稳定。"
          "今年主要预期目标是：生产总值增长5%左右，城镇新增就业3万人以上，居民消费价格涨幅3%左右。") * 30


def test_one_edited_character_is_a_near_duplicate() -> None:
    edited = REPORT[:500] + "七" + REPORT[501:]
    assert similarity(minhash_signature(REPORT), minhash_signature(edited)) >= NEAR_DUPLICATE_SIMILARITY


def test_white_space_and_full_width_forms_do_not_matter() -> None:
    spaced = REPORT.replace("，", " ， ").replace("6.5%", "６.５％")
    assert shingles(spaced) == shingles(REPORT)


def test_a_different_report_is_not_near() -> None:
    other = ("今年要坚持稳中求进，着力扩大内需，推进乡村全面振兴，新建改造高标准农田20万亩。"
             "深化国资国企改革，优化营商环境，全年新增市场主体1.2万户。") * 30
    assert similarity(minhash_signature(REPORT), minhash_signature(other)) < 0.2


def test_no_two_state_council_reports_are_near_each_other() -> None:
    signatures = {p.name: minhash_signature(p.read_text(encoding="utf-8")) for p in sorted(NATIONAL.glob("*.txt"))}
    assert len(signatures) > 40
    closest = max(similarity(a, b) for a, b in itertools.combinations(signatures.values(), 2))
    assert closest < 0.5


def test_a_missing_signature_is_never_near() -> None:
    assert similarity("", minhash_signature(REPORT)) == 0.0
    assert minhash_signature("  ") == ""
