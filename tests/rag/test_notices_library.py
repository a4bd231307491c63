"""A library of notices, a statistical communiqué and a plan, end to end on a real store and model.

The documents are made up here in the style of real ones: a county notice that names its county once
and is signed only "县人民政府办公室", a city's 统计公报 published the year after the year it reviews,
and a city's “十四五” plan that first sums up “十三五”.
"""
from __future__ import annotations

from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

COUNTY_NOTICE = """县人民政府办公室
关于做好2024年秋冬季农村人居环境整治工作的通知

各乡镇人民政府，县直有关单位：

为持续改善村容村貌，现就有关事项通知如下。

一、重点任务

（一）推进厕所革命。全县新建农村公厕35座，改造户用卫生厕所1200户。

（二）提升村容村貌。结合通许县特色产业，开展庭院美化和道路绿化，新增村庄绿化面积800亩。

二、考核奖励

县整治办每月组织评比，对排名前3名的乡镇分别奖励8万元、6万元、4万元。

三、工作要求

各乡镇要高度重视人居环境整治工作，主要负责同志亲自抓。县整治办应当自收到乡镇自查报告之日起10个工作日内完成复核。

县人民政府办公室
2024年10月8日
"""

COMMUNIQUE = """宝鸡市2023年国民经济和社会发展统计公报

宝鸡市统计局
2024年3月20日

一、综合

初步核算，全年实现地区生产总值2743.10亿元，按可比价格计算，比上年增长5.1%。

二、农业

全年粮食总产量152.3万吨，比上年增长1.8%。
"""

# A district the gazetteer does not list, named only in the title and the signature beside its city.
DISTRICT_NOTICE = """宝鸡市临湖区关于划定烟花爆竹禁止燃放区域的通告

为减少环境污染，保障公共安全，现通告如下。

一、禁止燃放区域

城区各街道全部行政区域全年禁止燃放烟花爆竹。

二、法律责任

在禁止燃放区域内燃放烟花爆竹的，由公安机关责令停止燃放，处100元以上500元以下的罚款。

宝鸡市临湖区人民政府
2024年12月20日
"""

# An area's notice: titled and signed by the area alone ("高新区"), its city named once in the text.
AREA_NOTICE = """关于组织申报2024年度人才公寓租金补贴的通知

各有关企业：

一、补贴对象

在区内企业工作、与企业签订一年以上劳动合同的全日制本科及以上学历人才。

二、补贴标准

博士每月补贴1500元，硕士每月补贴800元，本科每月补贴500元，补贴期限最长3年。

三、申报方式

申报材料报送至区人才服务中心窗口，优先推荐至邵阳市人才服务平台。

高新区组织人事局
2024年4月10日
"""

PLAN = """六盘水市“十四五”农业农村现代化规划

第一章 发展基础

“十三五”时期，全市猕猴桃种植面积稳定在20万亩以上，农村居民人均可支配收入达到11500元。

第二章 主要目标

到2025年，猕猴桃种植面积稳定在30万亩，猕猴桃产业综合产值达到100亿元；地区生产总值年均增长7%左右。

第三章 市场对接

对接贵阳市农产品批发市场，建设冷链物流集散中心。

第四章 规划实施

本规划由市人民政府组织实施，2023年开展中期评估，2025年开展总结评估。
"""


@pytest.fixture(scope="module")
def service(tmp_path_factory: pytest.TempPathFactory):
    from rag.chain import QAService
    from rag.ingest import ingest_paths
    from rag.settings import Settings
    from vectorstore.chroma_store import ChromaStore
    from vectorstore.embedder import get_embedder

    folder = tmp_path_factory.mktemp("notices")
    for name, text in (("county_notice.txt", COUNTY_NOTICE), ("communique.txt", COMMUNIQUE), ("plan.txt", PLAN),
                       ("district_notice.txt", DISTRICT_NOTICE), ("area_notice.txt", AREA_NOTICE)):
        (folder / name).write_text(text, encoding="utf-8")
    store_dir = tmp_path_factory.mktemp("notices-store")
    ingest_paths([folder], ChromaStore.open(store_dir), get_embedder())
    return QAService.open(Settings.from_env(Path(store_dir)))


def test_a_county_named_once_in_an_unplaced_notice_is_answered_from_its_other_passages(service):
    answer = service.ask("通许县2024年秋冬季人居环境整治要新建多少座农村公厕？")
    assert not answer.refused and "35座" in answer.answer
    assert answer.citations and "通许县" not in answer.citations[0].text


def test_a_communique_published_the_next_year_answers_for_the_year_it_reviews(service):
    answer = service.ask("宝鸡2023年地区生产总值是多少？")
    assert not answer.refused and "2743.10亿元" in answer.answer


def test_a_five_year_target_is_not_answered_with_the_previous_plans_figure(service):
    answer = service.ask("六盘水“十四五”猕猴桃种植面积目标是多少？")
    assert not answer.refused and "30万亩" in answer.answer and "20万亩" not in answer.answer


def test_an_intensity_per_unit_of_gdp_is_not_answered_with_gdp(service):
    answer = service.ask("六盘水“十四五”单位GDP能耗要下降多少？")
    assert answer.refused and "7%" not in answer.answer


def test_a_place_with_no_document_of_its_own_searches_every_passage_of_the_unplaced_documents_naming_it(service):
    retriever = service.retriever
    about = retriever.passages_about(["通许县"])
    docs = {c.doc for c, keep in zip(retriever._snapshot.chunks, about) if keep}
    county = [c for c in retriever._snapshot.chunks if c.doc == "county_notice.txt"]
    assert docs == {"county_notice.txt"} and about.sum() == len(county) > 1
    # A document of a known place that names it only in its body stays limited to the passages that do.
    assert retriever.passages_about(["贵阳市"]).sum() == retriever.passages_naming(["贵阳市"]).sum() == 1


def test_a_question_about_a_time_limit_is_answered_by_the_sentence_stating_it(service):
    answer = service.ask("通许县人居环境整治复核一般多长时间完成？")
    assert not answer.refused and "10个工作日内" in answer.answer.split("\n")[0]


def test_a_place_named_in_a_documents_title_and_signature_is_answered_from_its_other_passages(service):
    about = service.retriever.passages_about(["临湖区"])
    district = [c for c in service.retriever._snapshot.chunks if c.doc == "district_notice.txt"]
    assert about.sum() == len(district) > 1
    answer = service.ask("临湖区在禁放区燃放烟花爆竹罚多少钱？")
    assert not answer.refused and "100元以上500元以下" in answer.answer


def test_a_place_the_library_never_names_is_refused_with_the_kind_of_documents_it_holds(service):
    answer = service.ask("常德市2024年秋冬季要新建多少座农村公厕？")
    assert answer.refused and "资料库里没有常德市的文件" in answer.answer
    assert "政府工作报告" not in answer.answer


def test_a_question_for_an_amount_is_not_answered_by_a_sentence_that_only_dates_something(service):
    answer = service.ask("六盘水“十四五”规划对2025年常住人口的目标是多少？")
    assert answer.refused and not answer.citations


def test_an_area_signing_its_notice_and_naming_its_city_is_answered_not_refused_by_name(service):
    answer = service.ask("邵阳高新区硕士人才每月租金补贴多少？")
    assert not answer.refused and "800元" in answer.answer
    assert service.ask("株洲高新区硕士人才每月租金补贴多少？").refused  # the notice never names 株洲
