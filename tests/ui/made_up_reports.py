"""Small made-up government work reports, many places and years: a library of 100+ reports for the app's tests.

Each report is a few hundred characters (two or three passages), so a library of 120 ingests in
well under two minutes on 2 cores, while still being described (place, year, title) by the real
pipeline like any report.
"""
from __future__ import annotations

from pathlib import Path

# Prefecture-level cities and provinces of different provinces (none of the sample reports' places).
PLACES = (
    "石家庄市", "太原市", "沈阳市", "长春市", "哈尔滨市", "南京市", "杭州市", "合肥市", "福州市", "南昌市",
    "济南市", "武汉市", "长沙市", "广州市", "南宁市", "海口市", "成都市", "贵阳市", "昆明市", "西安市",
    "兰州市", "西宁市", "银川市", "乌鲁木齐市", "拉萨市", "呼和浩特市", "大连市", "青岛市", "宁波市", "厦门市",
)
YEARS = (2021, 2022, 2023, 2024)


def report_text(place: str, year: int, seed: int) -> str:
    """One short report of `place` for `year`; `seed` varies its figures."""
    growth = 4.5 + (seed % 7) * 0.5
    grain = 100 + seed * 3
    jobs = 5 + seed % 11
    return (
        f"{place}{year}年政府工作报告\n\n"
        f"——{year}年1月{10 + seed % 15}日在{place}第十五届人民代表大会第{1 + seed % 5}次会议上\n\n"
        f"一、{year - 1}年工作回顾\n\n"
        f"过去一年，全市地区生产总值增长{growth:.1f}%，粮食产量{grain}万吨，城镇新增就业{jobs}.{seed % 10}万人。"
        f"一般公共预算收入完成{200 + seed * 7}亿元，居民人均可支配收入增长{growth - 0.5:.1f}%。\n\n"
        f"二、{year}年主要目标\n\n"
        f"地区生产总值预期增长{growth + 0.5:.1f}%左右，城镇新增就业{jobs + 1}万人以上，"
        f"居民消费价格涨幅控制在3%左右，单位地区生产总值能耗完成省下达任务。\n"
    )


def write_reports(folder: Path, places: tuple[str, ...] = PLACES, years: tuple[int, ...] = YEARS) -> list[Path]:
    """Write one report per place and year into `folder` (file names carry neither, as scraped files often do)."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i, place in enumerate(places):
        for j, year in enumerate(years):
            seed = i * len(years) + j
            path = folder / f"report_{seed:03d}.txt"
            path.write_text(report_text(place, year, seed), encoding="utf-8")
            paths.append(path)
    return paths
