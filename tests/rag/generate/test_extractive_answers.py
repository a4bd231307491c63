"""The extractive answers end to end, on a real store of made-up documents: whole lists, names, results
read from a review section that names no year, and questions about procedure answered in words.

The documents are written here in the style of real ones (a provincial work report, a municipal notice),
so nothing is tuned to the sample reports.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from rag.numbers import numbers_in

pytestmark = pytest.mark.slow

REPORT = """吉林省2025年政府工作报告
——2025年1月14日在吉林省第十四届人民代表大会第四次会议上
吉林省省长 胡玉亭

各位代表：
现在，我代表省人民政府，向大会报告工作，请予审议。

一、过去一年工作回顾
过去一年，全省经济运行稳中有进。地区生产总值增长4.3%左右。粮食生产再获丰收，总产量达到853.2亿斤，增产15.4亿斤。
精心办好第八届中国—东北亚博览会，签约项目金额超过2000亿元。李德仁院士获国家最高科学技术奖。

二、2025年工作安排
今年全省经济社会发展的主要预期目标是：地区生产总值增长5.5%左右；城镇新增就业22万人以上；城镇调查失业率控制在5.5%左右；居民消费价格涨幅2%左右；粮食总产量稳定在850亿斤以上；单位地区生产总值能耗降低完成国家下达任务。
坚持“三个更加注重”。即：更加注重扩大内需；更加注重科技创新；更加注重民生改善。

三、“十四五”时期回顾
我们成功举办第九届亚冬会、全国冬运会，冰雪经济快速发展。
"""

NOTICE = """吉林省长春市人民政府办公厅关于做好企业复工复产工作的通知

各区人民政府，市政府各委办局：

现就有关事项通知如下。

一、落实各方责任

（一）落实企业主体责任。企业法定代表人是本单位疫情防控第一责任人，要建立“一企一专班”；发现发热人员要第一时间报告属地卫生健康部门。

（二）落实属地管理责任。各区要建立驻企服务机制。

二、申报材料

企业复工前应当提交下列材料：

（一）复工复产备案表；

（二）疫情防控工作方案；

（三）员工健康排查台账。
"""


@pytest.fixture(scope="module")
def service(tmp_path_factory: pytest.TempPathFactory):
    from rag.chain import QAService
    from rag.ingest import ingest_paths
    from rag.settings import Settings
    from vectorstore.chroma_store import ChromaStore
    from vectorstore.embedder import get_embedder

    folder = tmp_path_factory.mktemp("made-up-docs")
    (folder / "jilin_2025.txt").write_text(REPORT, encoding="utf-8")
    (folder / "changchun_notice.txt").write_text(NOTICE, encoding="utf-8")
    store_dir = tmp_path_factory.mktemp("made-up-store")
    ingest_paths([folder], ChromaStore.open(store_dir), get_embedder())
    return QAService.open(Settings.from_env(Path(store_dir)))


def _grounded(answer) -> bool:
    cited = "".join(c.text for c in answer.citations)
    return all(n in numbers_in(cited) for n in numbers_in(answer.answer.replace("2024年", "").replace("2025年", "")))


def test_every_target_of_a_targets_paragraph_is_listed_and_cited(service):
    answer = service.ask("吉林省2025年主要预期目标都有哪些指标和数值？")
    assert not answer.refused
    for target in ("5.5%左右", "22万人以上", "2%左右", "850亿斤以上", "能耗降低"):
        assert target in answer.answer
    assert all(line.rstrip().endswith("]") for line in answer.answer.splitlines() if line.strip())


def test_the_items_after_a_heading_sentence_are_listed(service):
    answer = service.ask("吉林省2025年报告里的“三个更加注重”都指什么？")
    for item in ("扩大内需", "科技创新", "民生改善"):
        assert item in answer.answer


def test_a_result_is_read_from_the_review_of_the_year_before(service):
    answer = service.ask("吉林2024年粮食总产量实际是多少？")
    assert not answer.refused and "853.2亿斤" in answer.answer and "850亿斤" not in answer.answer
    assert _grounded(answer)


@pytest.mark.parametrize("question, name", [
    ("吉林2024年哪位院士获得了国家最高科学技术奖？", "**李德仁院士**"),
    ("吉林2024年办好的是第几届东北亚博览会？", "**第八届中国—东北亚博览会**"),
])
def test_a_name_is_answered_with_its_span_bold_and_cited(service, question, name):
    answer = service.ask(question)
    assert not answer.refused and answer.answer.startswith(f"{name}[1]")


def test_a_how_question_is_answered_with_what_its_heading_heads(service):
    answer = service.ask("长春市如何要求落实企业主体责任？")
    assert not answer.refused
    assert "第一责任人" in answer.answer and "一企一专班" in answer.answer


def test_a_question_about_materials_gets_every_item_the_notice_lists(service):
    answer = service.ask("长春企业复工前要提交什么材料？")
    assert not answer.refused
    for item in ("复工复产备案表", "疫情防控工作方案", "员工健康排查台账"):
        assert item in answer.answer


def test_a_list_whose_topic_only_its_heading_names_is_answered(service):
    # "“十四五”期间" is named by the section heading, not by the sentence that lists the events.
    answer = service.ask("吉林“十四五”期间成功举办了哪些赛事？")
    assert not answer.refused and "亚冬会" in answer.answer and "全国冬运会" in answer.answer
