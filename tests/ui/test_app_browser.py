"""The app end to end in headless Chromium against a real `govqa serve`: ask, check, filter, upload, remove.

Every test also checks that the page asked nothing of any host but 127.0.0.1 and opened no
dialog, and saves a screenshot of each state it reaches.
"""
from __future__ import annotations

import io
from pathlib import Path

import pytest
from docx import Document

from tests.ui.browser_steps import assert_clean, open_app, pick, remove, shot, tab, upload
from tests.ui.harness import Server, Traffic, server_env, start_server, stop_server

pytestmark = pytest.mark.slow

LAST_TURN = "#gq-chat .gq-turn:last-child"


def ask(page, question: str) -> None:
    """Ask through the question box and wait until the answer has finished streaming."""
    done = page.locator("#gq-chat .gq-turn.gq-done").count()
    page.fill("#gq-question textarea", question)
    page.click("#gq-ask")
    page.wait_for_function(f"document.querySelectorAll('#gq-chat .gq-turn.gq-done').length > {done}")


def restart(page) -> None:
    """Start over and wait until the chat is empty again."""
    page.click("#gq-restart")
    page.wait_for_selector("#gq-chat .gq-welcome")


def test_page_loads_only_from_localhost(page, server: Server, traffic: Traffic, screenshots: Path) -> None:
    open_app(page, server)
    page.wait_for_load_state("load")
    page.wait_for_timeout(1500)  # late requests (fonts, icons) would come now; the queue's stream never idles
    shot(page, screenshots, "01_start")
    assert page.locator(".gq-example").count() >= 1
    assert "5 份报告" in page.inner_text(".gq-header")
    assert_clean(traffic)


def test_answer_citation_source_followup(page, browser, server: Server, traffic: Traffic, screenshots: Path) -> None:
    open_app(page, server)
    # Count the chat's updates while one answer arrives: streaming shows it in several steps.
    page.evaluate("""() => {
        window.gqUpdates = 0;
        new MutationObserver(() => window.gqUpdates++).observe(
            document.querySelector('#gq-chat'), {childList: true, subtree: true, characterData: true});
    }""")
    ask(page, "郑州2020年金融业增加值多少？")
    answer = page.locator(LAST_TURN)
    assert "1302.9亿元" in answer.locator(".gq-bot").inner_text()
    assert answer.locator("button.gq-cite").count() >= 1
    assert answer.locator("button.gq-ref").count() >= 1, "the [n] markers in the text are clickable"
    assert answer.locator(".gq-standalone").count() == 0, "a first question needs no rewording"
    assert page.evaluate("window.gqUpdates") >= 4, "the answer should arrive in steps"
    shot(page, screenshots, "02_answer")

    answer.locator("button.gq-cite").first.click()
    mark = page.locator("#gq-source .gq-src-body mark")
    mark.wait_for()
    assert "1302.9亿元" in mark.inner_text()
    head = page.locator("#gq-source .gq-src-head").inner_text()
    assert "郑州市2021年政府工作报告" in head and "郑州市" in head and "2021年" in head
    assert "章节：" in head and "（二）" in head
    assert len(page.inner_text("#gq-source .gq-src-body")) > 10_000, "the whole report is readable"
    page.wait_for_timeout(300)
    body_box = page.locator("#gq-source .gq-src-body").bounding_box()
    mark_box = mark.bounding_box()
    assert body_box and mark_box
    assert body_box["y"] <= mark_box["y"] <= body_box["y"] + body_box["height"] - mark_box["height"] / 2, \
        "the highlighted sentence is scrolled into view"
    shot(page, screenshots, "03_source")

    ask(page, "那金水区呢？")
    followup = page.locator(LAST_TURN)
    standalone = followup.locator(".gq-standalone").inner_text()
    assert "金水区" in standalone and "金融业增加值" in standalone
    # 金水区's report sets a share target for 金融业增加值 but states no amount: the follow-up is
    # answered from, or refused with the closest passages of, the 金水区 report — never 郑州's.
    assert "金水区" in followup.locator("button.gq-cite").first.text_content()
    shot(page, screenshots, "04_followup")

    # Another browser session starts with its own, empty history.
    other = browser.new_context(viewport={"width": 1440, "height": 960}, locale="zh-CN")
    try:
        other_page = other.new_page()
        open_app(other_page, server)
        assert other_page.locator("#gq-chat .gq-turn").count() == 0
    finally:
        other.close()

    restart(page)
    assert page.locator("#gq-source .gq-src-empty").count() == 1
    ask(page, "那金水区呢？")
    assert page.locator(f"{LAST_TURN} .gq-standalone").count() == 0, "重新开始 forgets the earlier questions"
    assert_clean(traffic)


def test_filter_by_region(page, server: Server, traffic: Traffic, screenshots: Path) -> None:
    open_app(page, server)
    pick(page, "gq-filter-region", "金水区")
    ask(page, "地区生产总值是多少？")
    turn = page.locator(LAST_TURN)
    assert "地区：金水区" in turn.locator(".gq-scope").inner_text()
    cites = turn.locator("button.gq-cite")
    assert cites.count() >= 1
    for i in range(cites.count()):
        assert "金水区2020年政府工作报告" in cites.nth(i).inner_text()
    shot(page, screenshots, "05_filter_region")

    page.click("#gq-clear")
    page.wait_for_function("document.querySelectorAll('#gq-filter-region .token').length === 0")
    ask(page, "郑州2020年金融业增加值多少？")
    assert page.locator(f"{LAST_TURN} .gq-scope").count() == 0, "cleared filters no longer narrow the search"
    assert "1302.9亿元" in page.inner_text(f"{LAST_TURN} .gq-bot")
    assert_clean(traffic)


def _docx(path: Path) -> Path:
    """A small county report with a fact found nowhere else: 猕猴桃产量 12345吨."""
    doc = Document()
    doc.add_heading("桃源县2023年政府工作报告", 0)
    doc.add_paragraph("——2023年1月10日在桃源县第十八届人民代表大会第二次会议上")
    doc.add_paragraph("桃源县人民政府县长 林清河")
    doc.add_paragraph("一、2022年工作回顾")
    doc.add_paragraph("过去一年，全县经济稳中有进。猕猴桃产业持续壮大，全县猕猴桃产量达到12345吨，同比增长8.6%。"
                      "茶叶种植面积扩大到3.2万亩。")
    doc.add_paragraph("二、2023年主要目标")
    doc.add_paragraph("全县地区生产总值预期增长6.5%左右，猕猴桃产量力争突破15000吨。")
    buffer = io.BytesIO()
    doc.save(buffer)
    path.write_bytes(buffer.getvalue())
    return path


def test_upload_docx_ask_then_remove(page, server: Server, traffic: Traffic, screenshots: Path,
                                     tmp_path: Path) -> None:
    report = _docx(tmp_path / "桃源县2023年政府工作报告.docx")
    broken = tmp_path / "损坏的报告.docx"
    broken.write_bytes(b"this is not a zip archive")
    open_app(page, server)
    upload(page, report, broken)
    outcomes = page.locator("#gq-upload-result")
    assert "已添加" in outcomes.locator(".gq-outcome-ok").inner_text()
    refused = outcomes.locator(".gq-outcome-bad").inner_text()
    assert "已拒绝" in refused and "损坏的报告.docx" in refused and "不是有效的 docx 文件" in refused
    row = page.locator("#gq-library tr", has_text="桃源县2023年政府工作报告")
    row.wait_for()
    cells = [row.locator(f"td[data-col={column}]").inner_text() for column in ("place", "year", "passages")]
    assert cells == ["桃源县", "2023年", "3"]
    assert "6 份报告" in page.inner_text(".gq-header")
    shot(page, screenshots, "06_upload")

    tab(page, "问答")
    ask(page, "桃源县2022年猕猴桃产量是多少？")
    turn = page.locator(LAST_TURN)
    assert "12345吨" in turn.locator(".gq-bot").inner_text()
    assert "桃源县2023年政府工作报告" in turn.locator("button.gq-cite").first.inner_text()
    shot(page, screenshots, "07_uploaded_answer")

    remove(page, "桃源县2023年政府工作报告")
    assert "已删除" in page.inner_text("#gq-remove-result")
    page.wait_for_function("!document.querySelector('#gq-library').innerText.includes('桃源县')")
    assert "5 份报告" in page.inner_text(".gq-header")
    shot(page, screenshots, "08_removed")

    tab(page, "问答")
    restart(page)
    ask(page, "桃源县2022年猕猴桃产量是多少？")
    assert page.locator(f"{LAST_TURN} .gq-refused").count() == 1, "a removed report no longer answers"
    assert_clean(traffic)


def test_refusal_looks_different(page, server: Server, traffic: Traffic, screenshots: Path) -> None:
    open_app(page, server)
    ask(page, "郑州市中原区2023年一般公共预算收入是多少？")
    turn = page.locator(LAST_TURN)
    refused = turn.locator(".gq-refused")
    assert refused.count() == 1
    assert "报告中没有找到" in refused.inner_text() and "未找到答案" in refused.inner_text()
    assert turn.locator(".gq-cites-head").count() == 0, "a refusal cites nothing"
    turn.locator("details.gq-nearest summary").click()
    turn.locator("button.gq-cite[data-kind=near]").first.click()
    page.locator("#gq-source .gq-src-body .gq-passage").wait_for()
    assert "最接近的段落 1" in page.inner_text("#gq-source .gq-src-head")
    shot(page, screenshots, "09_refusal")
    assert_clean(traffic)


HOSTILE = ("云溪县2023年政府工作报告\n\n——2023年1月12日在云溪县第九届人民代表大会第三次会议上\n\n"
           "一、2022年工作回顾\n\n网站曾被插入这样一段代码：<script>alert(1)</script>，现已清除。"
           "全县竹笋产量达到4321吨，同比增长5.2%。<img src=x onerror=alert(2)><b>并非粗体</b>\n")


def test_report_markup_is_shown_as_text(page, server: Server, traffic: Traffic, screenshots: Path,
                                        tmp_path: Path) -> None:
    hostile = tmp_path / "云溪县报告.txt"
    hostile.write_text(HOSTILE, encoding="utf-8")
    open_app(page, server)
    upload(page, hostile)
    assert "已添加" in page.inner_text("#gq-upload-result")

    tab(page, "问答")
    ask(page, "云溪县2022年竹笋产量是多少？")
    turn = page.locator(LAST_TURN)
    assert "4321吨" in turn.inner_text()
    turn.locator("button.gq-cite").first.click()
    page.locator("#gq-source .gq-src-body mark").wait_for()
    body = page.inner_text("#gq-source .gq-src-body")
    assert "<script>alert(1)</script>" in body
    assert "<img src=x onerror=alert(2)><b>并非粗体</b>" in body
    for panel in ("#gq-chat", "#gq-source", "#gq-library"):
        assert page.locator(f"{panel} script, {panel} img, {panel} b").count() == 0, panel
    page.wait_for_timeout(500)  # time for any injected handler to have fired
    shot(page, screenshots, "10_markup_as_text")
    assert_clean(traffic)
    remove(page, "云溪县2023年政府工作报告")
    assert "已删除" in page.inner_text("#gq-remove-result")


def test_public_host_asks_for_login(page, traffic: Traffic, screenshots: Path, tmp_path: Path) -> None:
    env = server_env(GOVQA_AUTH="tester:s3cret-pass")
    running = start_server(tmp_path / "empty-store", tmp_path / "serve.log", host="0.0.0.0", env=env)
    try:
        page.goto(running.url)
        page.locator("input[type=password]").wait_for()
        assert page.locator("#gq-chat").count() == 0
        shot(page, screenshots, "11_login")
        page.locator("input[type=text]").first.fill("tester")
        page.locator("input[type=password]").fill("s3cret-pass")
        page.locator("button", has_text="登录").or_(page.locator("button[type=submit]")).first.click()
        page.wait_for_selector("#gq-chat .gq-welcome")
        page.wait_for_selector(".gq-header .gq-stats")
        assert "0 份报告" in page.inner_text(".gq-header")
    finally:
        stop_server(running)
    assert not traffic.outside(), traffic.outside()
