"""Steps the browser tests share: open the app, pick in a dropdown, change tab, save a screenshot, check traffic."""
from __future__ import annotations

from pathlib import Path

from tests.ui.harness import Server, Traffic


def open_app(page, server: Server) -> None:
    """Load the app and wait until the library has filled the filters."""
    page.goto(server.url)
    page.wait_for_selector("#gq-chat .gq-welcome")
    page.wait_for_selector(".gq-header .gq-stats")


def shot(page, folder: Path, name: str, full_page: bool = False) -> None:
    page.screenshot(path=str(folder / f"{name}.png"), full_page=full_page)


def pick(page, dropdown: str, option: str) -> None:
    """Choose `option` in the Gradio dropdown with element id `dropdown`."""
    page.click(f"#{dropdown} input")
    page.keyboard.type(option)  # narrows a long list to the option (long lists show only their first items)
    page.get_by_role("option", name=option, exact=True).click()
    page.keyboard.press("Escape")
    page.locator("[role=listbox]").wait_for(state="detached")  # closed, not fading over a screenshot


def tab(page, name: str) -> None:
    page.get_by_role("tab", name=name).click()


def assert_clean(traffic: Traffic) -> None:
    """Nothing left the machine and no script of a report ran."""
    assert traffic.requests, "no request was recorded"
    assert not traffic.outside(), f"requests to outside hosts: {traffic.outside()}"
    assert not traffic.dialogs, f"a dialog opened: {traffic.dialogs}"


def upload(page, *files: Path, outcomes: int | None = None) -> None:
    """Upload files on the library tab and wait for this upload's outcomes (one per file unless told)."""
    tab(page, "资料库")
    before = page.inner_html("#gq-upload-result")
    page.set_input_files("#gq-upload input[type=file]", [str(f) for f in files])
    expected = len(files) if outcomes is None else outcomes
    page.wait_for_function(
        """([before, expected]) => {
            const result = document.querySelector('#gq-upload-result');
            return result.innerHTML !== before && result.querySelectorAll('.gq-outcome').length === expected;
        }""", arg=[before, expected], timeout=180_000)


def remove(page, title: str) -> None:
    """Remove a report through the library tab."""
    tab(page, "资料库")
    notice = "#gq-remove-result .gq-notice"
    before = page.inner_text(notice) if page.locator(notice).count() else ""
    pick(page, "gq-remove-doc", title)
    page.click("#gq-remove")
    page.wait_for_function("([selector, before]) => { const n = document.querySelector(selector);"
                           " return n && n.innerText !== before; }", arg=[notice, before])
