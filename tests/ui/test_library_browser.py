"""The 资料库 tab at library size in headless Chromium against a real `govqa serve`.

A store of 120 small made-up reports (30 places × 4 years, see made_up_reports.py) is ingested
once for this module, with `govqa ingest`; its time is printed. The tests sort, filter, search
and page through it, and upload a .zip and a folder of reports.
"""
from __future__ import annotations

import io
import subprocess
import time
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.ui.browser_steps import assert_clean, open_app, pick, remove, shot, tab, upload
from tests.ui.harness import REPO, Server, Traffic, govqa_command, server_env, start_server, stop_server
from tests.ui.made_up_reports import PLACES, YEARS, report_text, write_reports

pytestmark = pytest.mark.slow

REPORTS = len(PLACES) * len(YEARS)
ROWS = "#gq-library tbody tr[data-doc]"


@pytest.fixture(scope="module")
def library_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """`govqa serve` over a store of 120 made-up reports."""
    folder = write_reports(tmp_path_factory.mktemp("made-up-reports"))[0].parent
    store = tmp_path_factory.mktemp("library-store")
    started = time.monotonic()
    done = subprocess.run([*govqa_command(), "ingest", str(folder), "--store", str(store)],
                          capture_output=True, text=True, env=server_env(), cwd=REPO, timeout=900)
    assert done.returncode == 0, f"ingest failed:\n{done.stdout}\n{done.stderr}"
    print(f"\ningested {REPORTS} made-up reports in {time.monotonic() - started:.1f} s")
    running = start_server(store, tmp_path_factory.mktemp("library-serve") / "serve.log")
    yield running
    stop_server(running)


def open_library(page, server: Server) -> None:
    open_app(page, server)
    tab(page, "资料库")
    page.wait_for_selector(ROWS)


def column(page, name: str) -> list[str]:
    return page.locator(f"{ROWS} td[data-col={name}]").all_inner_texts()


def summary(page) -> str:
    return page.inner_text("#gq-library .gq-lib-summary")


def click_and_wait(page, selector: str, expected_summary: str) -> None:
    """Click a heading or page button in the table and wait until the table says `expected_summary`."""
    page.click(selector)
    page.wait_for_function("(text) => document.querySelector('#gq-library .gq-lib-summary')?.innerText.includes(text)",
                           arg=expected_summary)


def wait_for_summary(page, text: str) -> None:
    page.wait_for_function("(text) => document.querySelector('#gq-library .gq-lib-summary')?.innerText.includes(text)",
                           arg=text)


def search(page, words: str) -> None:
    """Type `words` into the search box as a person would (replacing what it held)."""
    page.click("#gq-lib-search textarea")
    page.keyboard.press("Control+A")
    page.keyboard.type(words)


def _gb(place: str) -> bytes:
    return place.encode("gb18030")


def test_library_sorts_pages_filters_and_searches(page, library_server: Server, traffic: Traffic,
                                                  screenshots: Path) -> None:
    open_library(page, library_server)
    assert f"{REPORTS} 份报告" in page.inner_text(".gq-header")
    assert summary(page) == f"共 {REPORTS} 份报告，显示第 1–25 份（第 1/5 页）"
    places = column(page, "place")
    assert len(places) == 25 and places == sorted(places, key=_gb), "by place, in pinyin order"
    assert places[:4] == [sorted(PLACES, key=_gb)[0]] * 4
    assert column(page, "year")[:4] == ["2024年", "2023年", "2022年", "2021年"], "a place's newest report first"
    shot(page, screenshots, "12_library", full_page=True)

    page.click("#gq-library button[data-sort=year]")
    page.wait_for_function("document.querySelector('#gq-library button.gq-sort-active')?.dataset.sort === 'year'")
    assert set(column(page, "year")) == {"2024年"}, "newest year first"
    assert column(page, "place") == sorted(column(page, "place"), key=_gb), "places in order within a year"
    page.click("#gq-library button[data-sort=year]")
    page.wait_for_function("document.querySelector('#gq-library button.gq-sort-active .gq-arrow')?.innerText === '▲'")
    assert set(column(page, "year")) == {"2021年"}
    shot(page, screenshots, "13_library_sorted_by_year")

    click_and_wait(page, "#gq-library button.gq-page[data-page='5']", "第 101–120 份（第 5/5 页）")
    assert set(column(page, "year")) == {"2024年"} and len(column(page, "year")) == 20
    assert page.locator("#gq-library button.gq-page:has-text('下一页')").is_disabled()
    click_and_wait(page, "#gq-library button.gq-page:has-text('上一页')", "第 76–100 份（第 4/5 页）")
    shot(page, screenshots, "14_library_page", full_page=True)

    pick(page, "gq-lib-place", "杭州市")
    wait_for_summary(page, "符合条件 4 份")
    assert column(page, "place") == ["杭州市"] * 4
    assert column(page, "year") == ["2021年", "2022年", "2023年", "2024年"], "the chosen order stays"
    assert page.locator("#gq-library .gq-pager").count() == 0, "one page needs no pager"
    pick(page, "gq-lib-year", "2023年")
    wait_for_summary(page, "符合条件 1 份")
    assert column(page, "title") == ["杭州市2023年政府工作报告"]
    shot(page, screenshots, "15_library_filtered")

    for dropdown in ("gq-lib-place", "gq-lib-year"):
        page.locator(f"#{dropdown} button.token-remove, #{dropdown} .token-remove").first.click()
    wait_for_summary(page, f"共 {REPORTS} 份报告，显示第 1–25 份")
    search(page, "厦门 2022")
    wait_for_summary(page, "符合条件 1 份")
    assert column(page, "title") == ["厦门市2022年政府工作报告"]
    page.click(f"{ROWS} button.gq-lib-pick")
    page.wait_for_function("document.querySelector('#gq-remove-doc input').value.includes('厦门市2022年')")
    shot(page, screenshots, "16_library_search")
    search(page, "没有这份报告")
    wait_for_summary(page, "符合条件 0 份")
    assert "没有符合条件的报告" in page.inner_text("#gq-library")
    assert_clean(traffic)


def _zip_of_reports(path: Path) -> Path:
    """Two small reports in nested folders and a damaged docx."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("湖南/常德/石门县2023年报告.txt", report_text("石门县", 2023, 7))
        archive.writestr("湖南/张家界/慈利县2022年报告.txt", report_text("慈利县", 2022, 8))
        archive.writestr("湖南/损坏的报告.docx", b"this is not a zip archive")
        archive.writestr("__MACOSX/湖南/._石门县2023年报告.txt", b"resource fork")
    path.write_bytes(buffer.getvalue())
    return path


def test_zip_upload_adds_each_report_and_refuses_the_bad_one(page, library_server: Server, traffic: Traffic,
                                                             screenshots: Path, tmp_path: Path) -> None:
    open_library(page, library_server)
    upload(page, _zip_of_reports(tmp_path / "湖南报告.zip"), outcomes=3)
    result = page.locator("#gq-upload-result")
    assert "共 3 个文件：已添加 2，已拒绝 1" in result.locator(".gq-outcome-summary").inner_text()
    added = result.locator(".gq-outcome-ok").all_inner_texts()
    assert len(added) == 2
    assert "湖南_常德_石门县2023年报告.txt" in added[0] and "石门县2023年政府工作报告" in added[0]
    assert "来自 湖南报告.zip › 湖南/常德/石门县2023年报告.txt" in added[0]
    assert "湖南_张家界_慈利县2022年报告.txt" in added[1]
    refused = result.locator(".gq-outcome-bad").inner_text()
    assert "已拒绝" in refused and "湖南_损坏的报告.docx" in refused and "不是有效的 docx 文件" in refused
    wait_for_summary(page, f"共 {REPORTS + 2} 份报告")
    assert f"{REPORTS + 2} 份报告" in page.inner_text(".gq-header")
    search(page, "湖南")
    wait_for_summary(page, "符合条件 2 份")
    assert column(page, "place") == ["慈利县", "石门县"] and column(page, "year") == ["2022年", "2023年"]
    shot(page, screenshots, "17_library_zip_upload")

    for title in ("石门县2023年政府工作报告", "慈利县2022年政府工作报告"):
        remove(page, title)
        assert "已删除" in page.inner_text("#gq-remove-result")
    wait_for_summary(page, f"共 {REPORTS} 份报告")
    assert_clean(traffic)


def test_folder_upload_skips_hidden_files(page, library_server: Server, traffic: Traffic, screenshots: Path,
                                          tmp_path: Path) -> None:
    folder = tmp_path / "新报告"
    folder.mkdir()
    (folder / "云梦县2024年报告.txt").write_text(report_text("云梦县", 2024, 3), encoding="utf-8")
    (folder / ".DS_Store").write_bytes(b"\0\0\0\1Bud1")
    open_library(page, library_server)
    before = page.inner_html("#gq-upload-result")
    with page.expect_file_chooser() as chooser:
        page.click("#gq-upload-folder")
    chooser.value.set_files(str(folder))
    page.wait_for_function("(before) => { const r = document.querySelector('#gq-upload-result');"
                           " return r.innerHTML !== before && r.querySelector('.gq-outcome'); }", arg=before,
                           timeout=180_000)
    result = page.inner_text("#gq-upload-result")
    assert "共 1 个文件：已添加 1" in result and "云梦县2024年政府工作报告" in result
    shot(page, screenshots, "18_library_folder_upload")
    remove(page, "云梦县2024年政府工作报告")
    assert "已删除" in page.inner_text("#gq-remove-result")
    assert_clean(traffic)
