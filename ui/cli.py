"""The `govqa` command line: ingest, ask, docs, figures, serve, eval, bench.

Every command takes --store DIR (or GOVQA_STORE). Bad input gets one line in Chinese on
stderr and a non-zero exit.

Example:
    $ govqa ingest                       # the bundled sample reports
    $ govqa ask "郑州2020年金融业增加值多少？"
    $ govqa ask --batch questions.jsonl > answers.jsonl
    $ govqa figures --place 全国 --indicator 国内生产总值 --reading target
"""
from __future__ import annotations

import os

# On 2 cores, BLAS threads spinning between queries slow the model's own threads down;
# this must be set before numpy loads (see DESIGN.md, "Facts measured").
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

import argparse  # noqa: E402
import json  # noqa: E402
import logging  # noqa: E402
import sys  # noqa: E402
from collections.abc import Sequence  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import NoReturn  # noqa: E402

from ui.address import ListenError, port_number  # noqa: E402

BUNDLED_REPORTS = Path(__file__).resolve().parent.parent / "data" / "reports"


class UsageError(Exception):
    """Bad input from the user: printed as one line, exit status 2."""


class OneLineParser(argparse.ArgumentParser):
    """argparse whose complaints about the arguments are one line (with where to find the usage), exit 2."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: 参数有误：{message}（用 {self.prog} --help 查看用法）\n")


def _settings(args: argparse.Namespace):
    from rag.settings import Settings

    return Settings.from_env(args.store)


def _service(args: argparse.Namespace):
    from rag.chain import QAService

    service = QAService.open(_settings(args))
    if not service.retriever.documents:
        raise UsageError("资料库是空的：请先运行 govqa ingest 导入报告")
    return service


def cmd_ingest(args: argparse.Namespace) -> int:
    from rag.ingest import ingest_paths
    from vectorstore.chroma_store import ChromaStore
    from vectorstore.embedder import get_embedder

    settings = _settings(args)
    paths = [Path(p) for p in args.paths] or [BUNDLED_REPORTS]
    store = ChromaStore.open(settings.store_dir, settings.chroma_url, settings.lock_timeout_s)
    if args.if_empty and store.documents():
        print(f"资料库已有 {len(store.documents())} 份报告，跳过导入", file=sys.stderr)
        return 0
    labels = {"added": "已添加", "replaced": "已替换", "repaired": "已修复", "unchanged": "未变化", "refused": "已拒绝"}

    def report(outcome) -> None:
        detail = outcome.reason or "；".join(filter(None, [f"{outcome.n_chunks} 段", outcome.note]))
        print(f"{labels[outcome.status]}\t{outcome.name}\t{outcome.title or ''}（{detail}）", flush=True)

    outcomes = ingest_paths(paths, store, get_embedder(settings.model_cache), settings.max_file_bytes, report)
    refused = [o for o in outcomes if o.status == "refused"]
    counts = {s: sum(o.status == s for o in outcomes) for s in labels}
    repaired = f"，修复 {counts['repaired']}" if counts["repaired"] else ""
    print(f"完成：添加 {counts['added']}，替换 {counts['replaced']}{repaired}，未变化 {counts['unchanged']}，"
          f"拒绝 {counts['refused']}", file=sys.stderr)
    short = _report_short(store, sys.stderr)
    return 1 if refused or short else 0


def _report_short(store, out) -> int:
    """Flag, one line each, the reports the store holds fewer passages of than recorded; how many."""
    short = store.short_reports()
    for s in short:
        print(f"不完整\t{s.name}\t记录 {s.recorded} 段，资料库中只有 {s.present} 段：重新导入该报告即可修复", file=out)
    return len(short)


def cmd_ask(args: argparse.Namespace) -> int:
    from ui.batch import BatchError, batch_order, read_batch

    if args.batch and args.question is not None:
        raise UsageError("请只给出一个问题，或只用 --batch 指定问题文件，不要同时给出")
    if not args.batch and not args.question:
        raise UsageError("请给出问题，或用 --batch 指定问题文件")
    if not args.batch:
        if not _encodable(args.question):
            raise UsageError("问题里有无法识别的字节（不是 UTF-8 文字），请重新输入问题")
        return _ask_one(args, args.question)
    try:
        items = read_batch(Path(args.batch))  # every line checked before the model loads
    except BatchError as err:
        if len(err.errors) == 1 and err.errors[0].line_no == 0:  # the file itself: missing, unreadable, empty
            raise UsageError(err.lines()[0]) from err
        for line in err.lines():
            print(f"govqa: {line}", file=sys.stderr)
        raise UsageError(f"{err.name} 有 {len(err.errors)} 处错误，没有回答任何问题：请改正后重新运行") from err
    from rag.records import ChatSession

    service = _service(args)
    sessions: dict[str, ChatSession] = {}
    for item in batch_order(items):
        session = sessions.setdefault(item.conversation, ChatSession()) if item.conversation else ChatSession()
        answer = service.ask(item.question, session, answer_id=item.id)
        print(json.dumps(answer.to_json(), ensure_ascii=False), flush=True)
    return 0


def _encodable(text: str) -> bool:
    """Whether `text` can be printed as UTF-8 (argv bytes that are not UTF-8 arrive as lone surrogates)."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _ask_one(args: argparse.Namespace, question: str) -> int:
    """Answer one question; a question refused before retrieval (no content…) exits 2 like other bad input."""
    answer = _service(args).ask(question)
    if args.json:
        print(json.dumps(answer.to_json(), ensure_ascii=False))
    else:
        print(answer.answer)
        for c in answer.citations:
            print(f"\n[{c.n}] {c.title}｜{c.section}\n    {c.quote}")
    return 2 if answer.rejection else 0


def cmd_docs(args: argparse.Namespace) -> int:
    from vectorstore.chroma_store import ChromaStore

    settings = _settings(args)
    store = ChromaStore.open_existing(settings.store_dir, settings.chroma_url, settings.lock_timeout_s)
    if args.check:
        docs = store.documents()
        short = _report_short(store, sys.stdout)
        verdict = f"{short} 份不完整" if short else "完好"
        print(f"检查完毕：{len(docs)} 份报告，{sum(d.n_chunks for d in docs)} 段，{verdict}", file=sys.stderr)
        return 1 if short else 0
    if args.action == "remove":
        if not args.names:
            raise UsageError("请给出要删除的报告文件名")
        missing = [n for n in args.names if not store.remove_document(n)]
        for name in args.names:
            if name not in missing:
                print(f"已删除\t{name}")
        if missing:
            raise UsageError(f"资料库中没有：{'、'.join(missing)}")
        return 0
    docs = store.documents()
    if args.json:
        print(json.dumps([{k: v for k, v in d.__dict__.items() if k != "minhash"} for d in docs],
                         ensure_ascii=False, indent=1))
        return 0
    for d in docs:
        print(f"{d.name}\t{d.title}\t地区：{d.region or '未知'}\t年份：{d.year or '未知'}\t{d.n_chunks} 段\t{d.added_at}")
    if not docs:
        print("资料库是空的", file=sys.stderr)
    return 0


def cmd_figures(args: argparse.Namespace) -> int:
    """The library's figures, filtered, as lines, JSON or a CSV file; read from the store alone (no model)."""
    from rag.fact_table import FactFilter, fact_cell, fact_record, facts_csv, filter_facts
    from vectorstore.chroma_store import ChromaStore

    settings = _settings(args)
    store = ChromaStore.open(settings.store_dir, settings.chroma_url)
    every = [fact_record(f) for f in store.facts()]
    if not every:
        raise UsageError("资料库中没有指标：请先运行 govqa ingest 导入报告" if not store.documents() else
                         "资料库中的报告还没有提取出指标：请用 govqa docs remove 删除后重新导入")
    shown = filter_facts(every, FactFilter(args.place, args.year, args.indicator, args.reading))
    if args.csv:
        try:
            Path(args.csv).write_text(facts_csv(shown), encoding="utf-8-sig")  # the BOM: Excel reads it as UTF-8
        except OSError as err:
            raise UsageError(f"无法写入 {args.csv}：{err.strerror}") from err
        print(f"已写入 {len(shown)} 条指标：{args.csv}", file=sys.stderr)
    elif args.json:
        print(json.dumps(shown, ensure_ascii=False, indent=1))
    else:
        for fact in shown:
            print("\t".join(fact_cell(fact, key) or "-" for key in FIGURE_LINE))
    if not shown:
        print(f"没有符合条件的指标（资料库共有 {len(every)} 条）", file=sys.stderr)
    return 0


# One line of `govqa figures`: place, the year the figure is about, the report's year, the indicator, the
# figure as written, target or result, and the report.
FIGURE_LINE = ("place", "year", "report_year", "indicator", "figure", "reading", "doc")


def cmd_serve(args: argparse.Namespace) -> int:
    from ui.address import check_can_listen
    from ui.login import login_for

    login = login_for(args.host)  # refusing to start must be quick: before the app and the model load
    check_can_listen(args.host, args.port)
    from ui.app import serve

    settings = _settings(args)
    if not settings.chroma_url:  # the app starts an empty library to upload into; ask and docs need one
        try:
            settings.store_dir.mkdir(parents=True, exist_ok=True)
        except OSError as err:
            raise UsageError(f"无法创建存储文件夹 {settings.store_dir}：{err.strerror}") from err
    serve(settings, host=args.host, port=args.port, login=login)
    return 0


def year_number(text: str) -> int:
    """A --year argument: a year of four digits."""
    if not (text.isascii() and text.isdigit() and len(text) == 4):
        raise argparse.ArgumentTypeError(f"年份应为四位数字，例如 2024：{text}")
    return int(text)


def build_parser() -> argparse.ArgumentParser:
    parser = OneLineParser(prog="govqa", description="政府工作报告问答：带出处的精确答案，离线运行。")
    common = OneLineParser(add_help=False)
    common.add_argument("--store", help="索引所在文件夹（也可用环境变量 GOVQA_STORE）")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("ingest", parents=[common], help="导入报告（文件或文件夹；不给则导入自带的示例报告）")
    p.add_argument("paths", nargs="*")
    p.add_argument("--if-empty", action="store_true", help="资料库已有报告时什么也不做")
    p.set_defaults(func=cmd_ingest)

    p = sub.add_parser("ask", parents=[common], help="提问")
    p.add_argument("question", nargs="?")
    p.add_argument("--json", action="store_true", help="输出 JSON 格式的答案")
    p.add_argument("--batch", help="JSONL 问题文件（每行 id、question，可选 conversation、turn）")
    p.set_defaults(func=cmd_ask)

    p = sub.add_parser("docs", parents=[common], help="列出或删除报告")
    p.add_argument("action", nargs="?", choices=["list", "remove"], default="list")
    p.add_argument("names", nargs="*")
    p.add_argument("--json", action="store_true")
    p.add_argument("--check", action="store_true", help="核对每份报告记录的段数与资料库实有的段数")
    p.set_defaults(func=cmd_docs)

    p = sub.add_parser("figures", parents=[common], help="列出报告中的指标数字（可筛选，可导出 CSV）")
    p.add_argument("--place", help="地区（全称或开头几个字，如 浙江）")
    p.add_argument("--year", type=year_number, help="年份：报告的年份或数字所指的年份")
    p.add_argument("--indicator", help="指标名称中的字词，如 生产总值")
    p.add_argument("--reading", choices=["target", "result", "estimate"], help="目标、完成或预计")
    p.add_argument("--csv", metavar="FILE", help="写入 CSV 文件（UTF-8，Excel 可直接打开）而不是打印")
    p.add_argument("--json", action="store_true", help="输出 JSON 格式")
    p.set_defaults(func=cmd_figures)

    p = sub.add_parser("serve", parents=[common], help="启动网页聊天")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=port_number, default=7860, help="端口（1–65535，默认 7860）")
    p.set_defaults(func=cmd_serve)

    p = sub.add_parser("eval", parents=[common], help="用标准问答集评测（或用抽取标准集评测数字抽取）")
    p.add_argument("gold")
    p.add_argument("--corpus", action="append", help="先把这个文件夹导入一个新的临时索引再评测（可给多次）")
    p.add_argument("--out", help="结果输出文件夹")
    p.add_argument("--compare", help="并排比较的配置，逗号分隔")
    p.set_defaults(func=lambda a: _run_eval(a))

    p = sub.add_parser("bench", parents=[common], help="测量入库、检索和回答的速度与内存（写出 bench.json 和 bench.png）")
    p.add_argument("--out", help="结果输出文件夹（默认 out/bench）")
    p.add_argument("--json", action="store_true", help="在标准输出打印 JSON 而不是摘要")
    p.add_argument("--quick", action="store_true", help="小规模快速运行（测试用）")
    p.add_argument("--corpus", help="报告文件夹（默认自带的示例报告）")
    p.add_argument("--gold", help="计时用的问题集（默认 ../shared/eval/dev.jsonl）")
    p.set_defaults(func=lambda a: _run_bench(a))
    return parser


def _run_eval(args: argparse.Namespace) -> int:
    from eval.extraction import is_extraction_gold

    if Path(args.gold).is_file() and is_extraction_gold(Path(args.gold)):
        from eval.extraction_run import run_extraction_command

        return run_extraction_command(args)  # scores the figure extractor alone: no store, no model
    from eval.run import run_eval_command

    return run_eval_command(args, _settings(args))


def _run_bench(args: argparse.Namespace) -> int:
    from eval.bench import bench_command

    return bench_command(args, _settings(args))


# Errors that mean bad input or a bad setting, printed as their one line: (module, class). Looked up
# only in modules already loaded (a class can only be raised once its module is), so a command that
# fails early, such as `serve` on a port in use, does not first load Chroma and the model code.
_ONE_LINE_ERRORS = (("rag.load", "LoadError"), ("rag.settings", "SettingsError"),
                    ("vectorstore.chroma_store", "StoreError"), ("vectorstore.embedder", "ModelCacheError"))


def _is_one_line_error(err: Exception) -> bool:
    if isinstance(err, (UsageError, ListenError)):
        return True
    return any(isinstance(err, getattr(sys.modules[module], name))
               for module, name in _ONE_LINE_ERRORS if module in sys.modules)


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `govqa` console script."""
    logging.basicConfig(level=logging.ERROR)  # parsers (pypdf) warn about every odd file on stderr
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except KeyboardInterrupt:
        print("govqa: 已中断", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # The reader of our output went away (`govqa ask --batch F | head`): nothing left to say to it.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1
    except Exception as err:
        if not _is_one_line_error(err):
            raise
        print(f"govqa: {err}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
