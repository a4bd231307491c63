"""Load: 20 chat sessions at once through the running app's API (gradio_client).

Each session holds a conversation whose follow-up only makes sense with its own history
("下一年呢…" after its own question), so a history mixed up between sessions shows as a
wrong answer. The run is bounded (20 sessions × 2 questions) and prints the latency p95.
"""
from __future__ import annotations

import math
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

pytestmark = pytest.mark.slow

SESSIONS = 20
# (first question, follow-up, what the follow-up's answer must contain)
CONVERSATIONS = [
    ("郑州2020年中欧班列开了多少班？", "下一年呢，目标开到多少班？", "1500班"),
    ("惠济区2023年商品房卖了多少面积？", "那外贸进出口做到了多少？", "17.9亿元"),
    ("金水区2019年新登记的市场主体有多少户？", "那技术合同成交额呢？", "16.4亿元"),
    ("新乡这份报告对高标准农田是怎么安排的？", "那它打算打造几条百亿级农业产业链？", "5条"),
]


def _last_turn(html: str) -> str:
    return html.rsplit('<section class="gq-turn', 1)[-1]


def _converse(url: str, script: tuple[str, str, str]) -> tuple[list[float], str]:
    from gradio_client import Client

    client = Client(url, verbose=False)  # one client = one browser session with its own history
    latencies, html = [], ""
    for question in script[:2]:
        started = time.perf_counter()
        html, _ = client.predict(question, [], [], [], api_name="/ask")
        latencies.append((time.perf_counter() - started) * 1000)
    return latencies, _last_turn(html)


def test_twenty_concurrent_sessions_each_get_answers_for_their_own_history(server):
    scripts = [CONVERSATIONS[i % len(CONVERSATIONS)] for i in range(SESSIONS)]
    with ThreadPoolExecutor(max_workers=SESSIONS) as pool:
        results = list(pool.map(lambda s: _converse(server.url, s), scripts, timeout=600))
    for script, (_, last) in zip(scripts, results):
        assert script[1] in last and script[2] in last, script
    latencies = sorted(ms for lat, _ in results for ms in lat)
    p95 = latencies[math.ceil(0.95 * len(latencies)) - 1]
    print(f"\n{len(latencies)} answers over {SESSIONS} concurrent sessions: "
          f"p50 {latencies[len(latencies) // 2]:.0f} ms, p95 {p95:.0f} ms")
