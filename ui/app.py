"""The Gradio app: ask in Chinese, read the answer with its numbered sources.

Example:
    $ govqa serve            # http://127.0.0.1:7860
"""
from __future__ import annotations

import html

import gradio as gr

from rag.chain import QAService
from rag.records import Answer, ChatSession
from rag.settings import Settings


def sources_html(answer: Answer) -> str:
    """The cited passages, each with its supporting sentence highlighted; report text is escaped."""
    if not answer.citations:
        return ""
    parts = []
    for c in answer.citations:
        before = html.escape(c.text[: c.quote_start - c.start])
        quote = html.escape(c.quote)
        after = html.escape(c.text[c.quote_end - c.start:])
        parts.append(f"<div class='source'><b>[{c.n}] {html.escape(c.title)}</b>"
                     f"<div class='section'>{html.escape(c.section)}</div>"
                     f"<p>{before}<mark>{quote}</mark>{after}</p></div>")
    return "\n".join(parts)


def build_app(service: QAService) -> gr.Blocks:
    """The chat page bound to one QAService; each browser session keeps its own history."""
    with gr.Blocks(title="govqa 政府工作报告问答", analytics_enabled=False) as app:
        gr.Markdown("## 政府工作报告问答\n提问，答案中的每个数字都注明出处。")
        session = gr.State(None)  # a ChatSession, made on the first question of each browser session
        chatbot = gr.Chatbot(label="对话", height=420)
        question = gr.Textbox(label="问题", placeholder="例如：郑州2020年金融业增加值多少？")
        with gr.Row():
            ask = gr.Button("提问", variant="primary")
            reset = gr.Button("重新开始")
        sources = gr.HTML(label="出处")

        def on_ask(text: str, history: list, chat: ChatSession | None):
            chat = chat or ChatSession()
            if not text.strip():
                return history, chat, "", ""
            answer = service.ask(text, chat)
            shown = answer.answer
            if answer.standalone_question != text:
                shown = f"（理解为：{answer.standalone_question}）\n\n{shown}"
            history = [*history, {"role": "user", "content": text}, {"role": "assistant", "content": shown}]
            return history, chat, "", sources_html(answer)

        ask.click(on_ask, [question, chatbot, session], [chatbot, session, question, sources])
        question.submit(on_ask, [question, chatbot, session], [chatbot, session, question, sources])
        reset.click(lambda: ([], None, ""), None, [chatbot, session, sources])
    return app


def serve(settings: Settings, host: str = "127.0.0.1", port: int = 7860) -> None:
    """Serve the app on host:port until interrupted."""
    service = QAService.open(settings)
    build_app(service).launch(server_name=host, server_port=port, share=False)
