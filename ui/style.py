"""The look of the app and the little script its HTML panels need.

Kept in Python rather than static files so every install of the package carries them, and so
the page needs nothing from outside: fonts are the system's own (no web fonts, no CDN).
Colours come from Gradio's theme variables, so the page follows light and dark mode.
"""
from __future__ import annotations

import gradio as gr

# System fonts only: a web font would be a request off the machine.
_FONTS = ("Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC", "Microsoft YaHei", "WenQuanYi Micro Hei")


def theme() -> gr.themes.Base:
    """A calm theme with a government-red accent and system CJK fonts."""
    return gr.themes.Default(
        primary_hue=gr.themes.colors.red,
        secondary_hue=gr.themes.colors.slate,
        neutral_hue=gr.themes.colors.slate,
        radius_size=gr.themes.sizes.radius_md,
        font=[*(gr.themes.Font(f) for f in _FONTS), "system-ui", "sans-serif"],
        font_mono=[gr.themes.Font("Noto Sans Mono CJK SC"), "ui-monospace", "monospace"],
    ).set(
        body_background_fill="white",
        body_background_fill_dark="*neutral_950",
        block_border_width="1px",
        block_shadow="none",
        button_primary_background_fill="*primary_700",
        button_primary_background_fill_hover="*primary_800",
        button_primary_text_color="white",
    )


# Clicks inside the conversation: a citation opens its passage ('click' event with its
# coordinates), an example question is asked ('submit' event). After each update the
# conversation scrolls to its newest message.
CHAT_JS = """
element.addEventListener('click', (event) => {
  const cite = event.target.closest('[data-kind]');
  if (cite) {
    element.querySelectorAll('.gq-active').forEach((b) => b.classList.remove('gq-active'));
    element.querySelectorAll(`[data-turn="${cite.dataset.turn}"][data-kind="${cite.dataset.kind}"][data-n="${cite.dataset.n}"]`)
      .forEach((b) => b.classList.add('gq-active'));
    trigger('click', {turn: Number(cite.dataset.turn), kind: cite.dataset.kind, n: Number(cite.dataset.n)});
    return;
  }
  const example = event.target.closest('[data-example]');
  if (example) trigger('submit', {question: example.dataset.example});
});
const toBottom = () => {
  const conv = element.querySelector('.gq-conv');
  if (conv) conv.scrollTop = conv.scrollHeight;
};
watch('value', toBottom);
toBottom();
"""

# When a passage is opened, scroll the report so the highlighted sentence sits in the upper
# third of the reading pane, and bring the pane into view on narrow screens.
SOURCE_JS = """
const focus = () => {
  const body = element.querySelector('.gq-src-body');
  const target = element.querySelector('.gq-src-body mark') || element.querySelector('.gq-src-body .gq-passage');
  if (!body || !target) return;
  body.scrollTop = Math.max(0, target.offsetTop - body.clientHeight / 3);
  const box = element.getBoundingClientRect();
  if (box.top < 0 || box.top > window.innerHeight - 120) element.scrollIntoView({block: 'start', behavior: 'smooth'});
};
watch('value', focus);
"""

# Clicks in the library table: a column heading sorts, the pager pages, a row's 删除… picks it.
LIBRARY_JS = """
element.addEventListener('click', (event) => {
  const button = event.target.closest('button[data-sort], button[data-page], button[data-remove]');
  if (!button || button.disabled) return;
  if (button.dataset.sort) trigger('click', {sort: button.dataset.sort});
  else if (button.dataset.page) trigger('click', {page: Number(button.dataset.page)});
  else trigger('click', {remove: button.dataset.remove});
});
"""

CSS = """
.gradio-container { width: 100% !important; max-width: 1400px !important; margin: 0 auto !important; }
footer { display: none !important; }

/* header */
.gq-header { display: flex; align-items: baseline; gap: 16px; flex-wrap: wrap;
  padding: 6px 2px 2px; border-bottom: 3px solid var(--primary-700); margin-bottom: 4px; }
.gq-header h1 { font-size: 22px; font-weight: 700; margin: 0; color: var(--body-text-color); letter-spacing: 1px; }
.gq-header .gq-sub { color: var(--body-text-color-subdued); font-size: 14px; }
.gq-header .gq-stats { margin-left: auto; color: var(--body-text-color-subdued); font-size: 13px; }

/* filters */
#gq-filters { align-items: flex-end; gap: 10px; }
#gq-filters > .form { border: none; background: none; gap: 10px; }
#gq-clear { align-self: flex-end; margin-bottom: 2px; white-space: nowrap; }

/* conversation */
#gq-chat { border: 1px solid var(--border-color-primary); border-radius: var(--radius-lg);
  background: var(--background-fill-primary); }
.gq-conv { height: 580px; overflow-y: auto; padding: 18px 20px; scroll-behavior: auto; }
.gq-turn { margin-bottom: 22px; }
.gq-msg { display: flex; flex-direction: column; }
.gq-user { align-items: flex-end; margin-bottom: 10px; }
.gq-user .gq-bubble { background: var(--primary-700); color: white; padding: 9px 14px;
  border-radius: 14px 14px 4px 14px; max-width: 80%; line-height: 1.6; white-space: pre-wrap; word-break: break-word; }
.gq-assistant { align-items: flex-start; }
.gq-note { font-size: 13px; color: var(--body-text-color-subdued); margin: 0 0 6px 2px; }
.gq-note-key { display: inline-block; font-size: 12px; padding: 0 6px; margin-right: 6px; border-radius: 4px;
  background: var(--neutral-100); color: var(--neutral-600); border: 1px solid var(--neutral-200); }
.dark .gq-note-key { background: var(--neutral-800); color: var(--neutral-300); border-color: var(--neutral-700); }
.gq-bot { width: 100%; max-width: 92%; background: var(--background-fill-secondary);
  border: 1px solid var(--border-color-primary); border-radius: 4px 14px 14px 14px; padding: 12px 16px;
  line-height: 1.75; color: var(--body-text-color); word-break: break-word; }
.gq-bot p { margin: 0 0 8px; }
.gq-bot p:last-of-type { margin-bottom: 0; }
.gq-bot strong { color: var(--primary-700); font-size: 1.08em; }
.dark .gq-bot strong { color: var(--primary-400); }
.gq-refused { background: #fffbeb; border-color: #f3d58a; border-left: 4px solid #d97706; }
.dark .gq-refused { background: #2a2110; border-color: #6b4f16; border-left-color: #d97706; }
.gq-error { background: #fef2f2; border-color: #fecaca; border-left: 4px solid #b91c1c; }
.gq-status { font-size: 12px; font-weight: 700; letter-spacing: 1px; color: #b45309; margin-bottom: 4px; }
.gq-error .gq-status { color: #b91c1c; }
.gq-drafting p:last-child::after { content: "▍"; color: var(--primary-600); animation: gq-blink 1s infinite; }
.gq-pending { color: var(--body-text-color-subdued); display: flex; align-items: center; gap: 10px; width: auto; }
.gq-dots i { display: inline-block; width: 6px; height: 6px; margin-right: 3px; border-radius: 50%;
  background: var(--primary-600); animation: gq-blink 1.2s infinite ease-in-out; }
.gq-dots i:nth-child(2) { animation-delay: .2s; } .gq-dots i:nth-child(3) { animation-delay: .4s; }
@keyframes gq-blink { 0%, 80%, 100% { opacity: .25; } 40% { opacity: 1; } }

/* citation markers and lists */
button.gq-ref { all: unset; cursor: pointer; color: var(--primary-700); font-size: .8em; font-weight: 600;
  vertical-align: super; padding: 0 1px; }
button.gq-ref:hover, button.gq-ref.gq-active { text-decoration: underline; }
.gq-cites-head { margin: 12px 0 6px; font-size: 12px; color: var(--body-text-color-subdued); letter-spacing: 1px;
  border-top: 1px dashed var(--border-color-primary); padding-top: 10px; }
ol.gq-cites { list-style: none; margin: 0; padding: 0; display: flex; flex-direction: column; gap: 6px; }
button.gq-cite { all: unset; box-sizing: border-box; cursor: pointer; display: flex; gap: 10px; width: 100%;
  padding: 8px 10px; border-radius: 8px; border: 1px solid var(--border-color-primary);
  background: var(--background-fill-primary); line-height: 1.5; }
button.gq-cite:hover { border-color: var(--primary-400); }
button.gq-cite.gq-active { border-color: var(--primary-600); box-shadow: 0 0 0 2px var(--primary-100); }
.gq-num { flex: none; width: 22px; height: 22px; border-radius: 50%; background: var(--primary-700); color: white;
  font-size: 12px; font-weight: 700; display: flex; align-items: center; justify-content: center; margin-top: 1px; }
.gq-num-plain { background: var(--neutral-400); }
.gq-item-body { display: flex; flex-wrap: wrap; align-items: center; gap: 2px 8px; min-width: 0; }
.gq-item-title { font-weight: 600; font-size: 14px; color: var(--body-text-color); }
.gq-item-section { font-size: 12px; color: var(--body-text-color-subdued); flex-basis: 100%; }
.gq-item-quote { font-size: 13px; color: var(--body-text-color); flex-basis: 100%; opacity: .85; }
.gq-tag { font-size: 12px; padding: 0 6px; border-radius: 4px; background: var(--primary-50); color: var(--primary-800);
  border: 1px solid var(--primary-100); margin-right: 4px; }
.dark .gq-tag { background: var(--neutral-800); color: var(--primary-300); border-color: var(--neutral-700); }
details.gq-nearest { margin-top: 10px; }
details.gq-nearest summary { cursor: pointer; font-size: 13px; color: var(--body-text-color-subdued); margin-bottom: 6px; }

/* welcome */
.gq-empty { display: flex; align-items: center; justify-content: center; }
.gq-welcome { text-align: center; max-width: 560px; color: var(--body-text-color-subdued); }
.gq-welcome h3 { font-size: 20px; color: var(--body-text-color); margin: 0 0 8px; }
.gq-welcome p { margin: 0 0 18px; line-height: 1.7; }
.gq-examples { display: flex; flex-direction: column; gap: 8px; align-items: center; }
button.gq-example { all: unset; cursor: pointer; padding: 8px 16px; border-radius: 999px; font-size: 14px;
  border: 1px solid var(--border-color-primary); background: var(--background-fill-secondary); color: var(--body-text-color); }
button.gq-example:hover { border-color: var(--primary-500); color: var(--primary-700); }

/* question row */
#gq-ask-row { align-items: stretch; gap: 8px; }
#gq-ask-row button { flex: 0 0 96px !important; min-width: 96px !important; white-space: nowrap; }

/* sources */
#gq-source { border: 1px solid var(--border-color-primary); border-radius: var(--radius-lg);
  background: var(--background-fill-primary); }
.gq-src { display: flex; flex-direction: column; height: 648px; }
.gq-src-head { padding: 14px 18px 10px; border-bottom: 1px solid var(--border-color-primary); }
.gq-src-label { font-size: 12px; color: var(--primary-700); font-weight: 700; letter-spacing: 1px; }
.gq-src-title { font-size: 17px; font-weight: 700; color: var(--body-text-color); margin: 2px 0 6px; }
.gq-src-tags { display: flex; align-items: center; flex-wrap: wrap; gap: 4px; }
.gq-src-file { font-size: 12px; color: var(--body-text-color-subdued); margin-left: 4px; }
.gq-src-section { font-size: 13px; color: var(--body-text-color-subdued); margin-top: 6px; line-height: 1.5; }
.gq-src-warn { margin: 10px 18px 0; padding: 6px 10px; border-radius: 6px; font-size: 13px;
  background: #fffbeb; color: #92400e; border: 1px solid #f3d58a; }
.gq-src-body { position: relative; flex: 1; overflow-y: auto; padding: 14px 18px 40vh; white-space: pre-wrap;
  word-break: break-word; line-height: 1.9; font-size: 15px; color: var(--body-text-color); }
.gq-passage { background: var(--primary-50); border-radius: 3px; box-shadow: 0 0 0 3px var(--primary-50); }
.dark .gq-passage { background: #2b1d1d; box-shadow: 0 0 0 3px #2b1d1d; }
.gq-src-body mark { background: #fde68a; color: #1f2937; padding: 1px 0; border-radius: 2px; font-weight: 600; }
.gq-src-empty { align-items: center; justify-content: center; }
.gq-src-hint { max-width: 340px; text-align: center; color: var(--body-text-color-subdued); line-height: 1.7; }
.gq-src-hint h3 { color: var(--body-text-color); font-size: 17px; margin: 0 0 6px; }

/* library */
.gq-lib-summary { font-size: 13px; color: var(--body-text-color-subdued); margin: 4px 0 8px; }
table.gq-table { width: 100%; border-collapse: collapse; font-size: 14px; }
.gq-table th { text-align: left; font-weight: 600; color: var(--body-text-color-subdued); font-size: 13px;
  padding: 8px 10px; border-bottom: 2px solid var(--border-color-primary); white-space: nowrap; }
.gq-table td { padding: 9px 10px; border-bottom: 1px solid var(--border-color-primary); color: var(--body-text-color); }
.gq-table tbody tr:hover { background: var(--background-fill-secondary); }
.gq-lib-title { font-weight: 600; }
.gq-lib-file { font-size: 12px; color: var(--body-text-color-subdued); word-break: break-all; }
.gq-num-cell { text-align: right; font-variant-numeric: tabular-nums; }
.gq-lib-empty { padding: 24px; text-align: center; color: var(--body-text-color-subdued); }
.gq-lib-none { padding: 24px !important; text-align: center; color: var(--body-text-color-subdued) !important; }
#gq-library .gq-table td { padding: 6px 10px; }
#gq-lib-filters { align-items: flex-end; gap: 10px; }
#gq-lib-filters > .form { border: none; background: none; gap: 10px; }
button.gq-sort { all: unset; cursor: pointer; display: inline-flex; gap: 4px; align-items: center; }
button.gq-sort:hover, button.gq-sort-active { color: var(--primary-700); }
.gq-arrow { font-size: 11px; opacity: .55; }
.gq-sort-active .gq-arrow { opacity: 1; }
.gq-lib-act { width: 1%; white-space: nowrap; }
button.gq-lib-pick { all: unset; cursor: pointer; font-size: 12px; color: var(--body-text-color-subdued);
  padding: 2px 8px; border-radius: 6px; border: 1px solid transparent; }
.gq-table tr:hover button.gq-lib-pick { border-color: var(--border-color-primary); }
button.gq-lib-pick:hover { color: #b91c1c; border-color: #fecaca !important; }
nav.gq-pager { display: flex; flex-wrap: wrap; gap: 4px; align-items: center; justify-content: center; margin: 12px 0 4px; }
button.gq-page { all: unset; cursor: pointer; min-width: 28px; text-align: center; padding: 4px 8px; font-size: 13px;
  border-radius: 6px; border: 1px solid var(--border-color-primary); background: var(--background-fill-primary); }
button.gq-page:hover { border-color: var(--primary-400); }
button.gq-page-current { background: var(--primary-700); border-color: var(--primary-700); color: white; font-weight: 700; }
button.gq-page[disabled] { opacity: .4; cursor: default; }
.gq-page-gap { color: var(--body-text-color-subdued); padding: 0 2px; }
#gq-upload-folder { margin-top: 6px; }
.gq-outcome-summary { font-size: 13px; font-weight: 600; margin: 8px 0 6px; color: var(--body-text-color); }
#gq-upload-result ul.gq-outcomes { max-height: 360px; overflow-y: auto; }
.gq-outcome-origin { flex-basis: 100%; font-size: 12px; color: var(--body-text-color-subdued); word-break: break-all; }
ul.gq-outcomes { list-style: none; margin: 0; padding: 0; display: flex; flex-direction: column; gap: 6px; }
.gq-outcome { display: flex; gap: 10px; align-items: baseline; flex-wrap: wrap; padding: 8px 12px; border-radius: 8px;
  border: 1px solid var(--border-color-primary); background: var(--background-fill-primary); font-size: 14px; }
.gq-badge { font-size: 12px; font-weight: 700; padding: 1px 8px; border-radius: 999px; }
.gq-outcome-ok .gq-badge { background: #dcfce7; color: #166534; }
.gq-outcome-same .gq-badge { background: var(--neutral-100); color: var(--neutral-600); }
.gq-outcome-bad { border-color: #fecaca; background: #fef2f2; }
.dark .gq-outcome-bad { background: #2a1414; border-color: #7f1d1d; }
.gq-outcome-bad .gq-badge { background: #fee2e2; color: #991b1b; }
.gq-outcome-name { font-weight: 600; word-break: break-all; }
.gq-outcome-detail { color: var(--body-text-color-subdued); }
.gq-outcome-bad .gq-outcome-detail { color: #991b1b; }
.gq-notice { padding: 8px 12px; border-radius: 8px; font-size: 14px; }
.gq-notice-ok { background: #f0fdf4; color: #166534; border: 1px solid #bbf7d0; }
.gq-notice-bad { background: #fef2f2; color: #991b1b; border: 1px solid #fecaca; }
.gq-panel-title { font-size: 15px; font-weight: 700; margin: 0 0 2px; color: var(--body-text-color); }
.gq-spaced { margin-top: 14px; }
.gq-panel-help { font-size: 13px; color: var(--body-text-color-subdued); margin: 0 0 6px; }
"""
