"""The heading reader on made-up notices: what a heading or an article heads."""
from __future__ import annotations

from rag.generate.heading_reader import MAX_SENTENCES, heading_body
from rag.sentences import sentences


def _body(text: str, head_contains: str) -> list[str]:
    head = next(s for s in sentences(text) if head_contains in s.text)
    return [s.text for s in heading_body(text, head)]


NOTICE = """三、落实各方责任

（一）落实各单位主体责任。企业法定代表人是第一责任人，要建立“一企一专班”；发现发热人员要及时报告。

（二）落实属地管理责任。各县要建立驻企服务机制。

四、支持“商转公”贷款

已在本市办理商业贷款的缴存职工，可申请转为公积金贷款。申请的，原贷款须已正常还款满12期。

五、办理渠道
"""


def test_an_inline_heading_heads_the_rest_of_its_paragraph():
    assert _body(NOTICE, "落实各单位主体责任") == [
        "企业法定代表人是第一责任人，要建立“一企一专班”；", "发现发热人员要及时报告。"]


def test_a_heading_line_heads_the_paragraphs_up_to_the_next_numbered_line():
    assert _body(NOTICE, "支持“商转公”贷款") == [
        "已在本市办理商业贷款的缴存职工，可申请转为公积金贷款。", "申请的，原贷款须已正常还款满12期。"]


def test_an_article_heads_its_following_paragraph():
    text = "第十五条 市财政局开展绩效评价。\n绩效评价结果为“中”的，压减预算10%。\n第十六条 违规的，追究责任。"
    assert _body(text, "第十五条") == ["绩效评价结果为“中”的，压减预算10%。"]


def test_a_sentence_that_opens_no_line_or_has_no_number_is_no_heading():
    assert _body(NOTICE, "各县要建立") == []
    assert _body("企业复工前须备案。经核查后方可复工。", "企业复工前") == []


def test_what_a_heading_heads_is_kept_short():
    text = "（一）总体要求。\n" + "\n".join(f"第{i}句话。" for i in range(12))
    assert len(_body(text, "总体要求")) == MAX_SENTENCES
