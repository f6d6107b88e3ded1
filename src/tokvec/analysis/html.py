"""One standalone HTML page that shows several tokenizers side by side on the same text.

No scripts, fonts or files from elsewhere: the page opens anywhere, offline. Each tokenizer gets a
panel with its token count and its tokens on alternating background colours; hovering a token shows
its id and vocabulary spelling (the ``title`` attribute). Whitespace is visible (``·`` space, ``→``
tab, ``↵`` newline, then a real line break); byte-fallback pieces (``<0xE4>``), bytes that are only
part of a character and unknown tokens are red, special tokens purple.

>>> from tokvec.analysis.compare import compare
>>> page = render_html(compare(["gpt2"], "Hi <b>"))
>>> page.count('class="tok"'), "<b>" in page, 'title="id 17250: Hi"' in page
(4, False, True)
"""

from __future__ import annotations

import html
import os

from .._io import atomic_write
from .compare import Comparison, TokenizerSplit
from .render import view_segments

# the terminal's palette (xterm 256 colours 153, 223, 157, 219, 229, 189) as CSS colours
COLORS = ("#afd7ff", "#ffd7af", "#afffaf", "#ffafff", "#ffffaf", "#d7d7ff")

_CSS = """
body { font-family: system-ui, sans-serif; margin: 1.5em; color: #111; background: #fff; }
h1 { font-size: 1.3em; margin: 0 0 .3em; }
.meta { color: #555; margin-bottom: 1em; }
table.counts { border-collapse: collapse; margin-bottom: 1.2em; }
table.counts td, table.counts th { padding: .2em .8em; border-bottom: 1px solid #ddd; text-align: right; }
table.counts td:first-child, table.counts th:first-child { text-align: left; }
.grid { display: grid; grid-template-columns: repeat(auto-fit, minmax(300px, 1fr)); gap: 1em; }
.panel { border: 1px solid #ccc; border-radius: 6px; padding: .6em .8em; }
.panel h2 { font-size: 1em; margin: 0 0 .5em; }
.panel h2 .n { font-weight: normal; color: #555; }
.tokens { font-family: ui-monospace, monospace; font-size: 15px; line-height: 1.9; overflow-wrap: anywhere; }
.tok { padding: 1px 0; border-radius: 2px; color: #000; white-space: nowrap; }
.mark { color: #888; }
.byte { color: #c00; font-weight: bold; }
.special { color: #808; font-weight: bold; }
.legend { color: #555; font-size: .9em; margin-top: 1.2em; }
"""


def _token_html(split: TokenizerSplit, k: int) -> str:
    view = split.views[k]
    parts = []
    for kind, text in view_segments(view):
        css = {"mark": "mark", "newline": "mark", "byte": "byte", "special": "special"}.get(kind)
        body = html.escape(text)
        parts.append(f'<span class="{css}">{body}</span>' if css else body)
        if kind == "newline":
            parts.append("<br>")
    title = html.escape(f"id {view.id}: {view.token}" + (f" ({view.kind})" if view.kind != "text" else ""))
    color = COLORS[k % len(COLORS)]
    return f'<span class="tok" style="background:{color}" title="{title}">{"".join(parts)}</span>'


def render_html(result: Comparison, *, title: str = "tokvec: how tokenizers split this text") -> str:
    """Return the standalone page for a comparison."""
    text = result.text
    first = result.splits[0].count if result.splits else 0
    rows = []
    for s in result.splits:
        change = f"{100 * (s.count - first) / first:+.0f}%" if first and s is not result.splits[0] else ""
        per = f"{len(text) / s.count:.2f}" if s.count else ""
        rows.append(f"<tr><td>{html.escape(s.name)}</td><td>{s.count:,}</td><td>{change}</td><td>{per}</td></tr>")
    panels = []
    for s in result.splits:
        tokens = "".join(_token_html(s, k) for k in range(len(s.views)))
        panels.append(
            f'<section class="panel"><h2>{html.escape(s.name)} <span class="n">{s.count:,} tokens</span></h2>'
            f'<div class="tokens">{tokens}</div></section>'
        )
    n_bytes = len(text.encode("utf-8", "surrogatepass"))
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        f"<title>{html.escape(title)}</title><style>{_CSS}</style></head><body>\n"
        f"<h1>{html.escape(title)}</h1>\n"
        f'<div class="meta">{len(text):,} characters, {n_bytes:,} bytes of UTF-8; hover over a token for its id</div>\n'
        '<table class="counts"><tr><th>tokenizer</th><th>tokens</th>'
        f"<th>vs {html.escape(result.splits[0].name) if result.splits else ''}</th><th>chars/token</th></tr>\n"
        + "\n".join(rows)
        + '</table>\n<div class="grid">\n'
        + "\n".join(panels)
        + "\n</div>\n"
        '<p class="legend">· space &nbsp; → tab &nbsp; ↵ newline &nbsp; '
        '<span class="byte">&lt;0xE4&gt;</span> a byte that is not a whole character (byte fallback or part of a'
        ' character) or an unknown token &nbsp; <span class="special">[CLS]</span> a special token</p>\n'
        "</body></html>\n"
    )


def write_html(result: Comparison, path: str | os.PathLike[str]) -> None:
    """Write the page of ``result`` to ``path`` (atomically)."""
    atomic_write(path, render_html(result).encode("utf-8"))
