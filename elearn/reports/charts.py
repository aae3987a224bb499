"""Bar charts as inline SVG, drawn on the server (no JavaScript): a title, labelled bars, an
optional target line. Each chart carries its numbers as a table too, folded under the chart
(screen readers, printing, people who cannot tell bar lengths apart)."""
from __future__ import annotations

from flask_babel import gettext as _
from markupsafe import Markup, escape


def bar_chart(title: str, labels: list[str], values: list[float], *, headers: tuple[str, str],
              target: float | None = None, target_label: str = "", width: int = 640, bar_height: int = 22,
              label_width: int = 190, value_format: str = "{:g}") -> Markup:
    """Horizontal bars (long Indonesian labels read better across than under a column), then the
    same numbers as a two-column table (``headers``: what the labels are, what the values are)."""
    top = 8
    wrapped = [_wrap(label) for label in labels]
    rows = [max(bar_height, 15 * len(lines) + 4) for lines in wrapped]
    height = top + sum(r + 6 for r in rows) + 24
    plot = width - label_width - 60
    peak = max([v for v in values if v is not None] + [target or 0, 1])
    parts = [f'<svg class="chart" role="img" viewBox="0 0 {width} {height}" width="100%" '
             f'xmlns="http://www.w3.org/2000/svg" aria-label="{escape(title)}"><title>{escape(title)}</title>']
    y = top
    for lines, row, label, value in zip(wrapped, rows, labels, values):
        length = 0 if not value else max(1, round(plot * value / peak))
        bar_y = y + (row - bar_height) / 2
        first = y + row / 2 - 15 * (len(lines) - 1) / 2 + 4
        spans = "".join(f'<tspan x="{label_width - 6}" y="{first + 15 * n:.0f}">{escape(line)}</tspan>'
                        for n, line in enumerate(lines))
        parts.append(f'<text text-anchor="end" font-size="12" fill="#222">{spans}</text>')
        parts.append(f'<rect x="{label_width}" y="{bar_y:.0f}" width="{length}" height="{bar_height}" fill="#1d6b45">'
                     f'<title>{escape(label)}: {escape(value_format.format(value or 0))}</title></rect>')
        parts.append(f'<text x="{label_width + length + 4}" y="{bar_y + bar_height * 0.7:.0f}" font-size="12" '
                     f'fill="#222">{escape(value_format.format(value or 0))}</text>')
        y += row + 6
    if target:
        x = label_width + round(plot * target / peak)
        parts.append(f'<line x1="{x}" y1="{top - 4}" x2="{x}" y2="{height - 18}" stroke="#a11" '
                     f'stroke-width="2" stroke-dasharray="5 3"/>')
        parts.append(f'<text x="{x}" y="{height - 4}" text-anchor="middle" font-size="12" fill="#a11">'
                     f'{escape(target_label)}</text>')
    parts.append("</svg>")
    caption = f"{title} ({target_label})" if target else title
    summary = _("Angka grafik")
    parts.append(f'<details class="chart-data"><summary>{escape(summary)}</summary><table>'
                 f'<caption>{escape(caption)}</caption><thead><tr><th scope="col">{escape(headers[0])}</th>'
                 f'<th scope="col">{escape(headers[1])}</th></tr></thead><tbody>')
    parts += [f'<tr><th scope="row">{escape(label)}</th><td>{escape(value_format.format(value or 0))}</td></tr>'
              for label, value in zip(labels, values)]
    parts.append("</tbody></table></details>")
    return Markup('<figure class="chart-figure">' + "".join(parts) + "</figure>")


def _wrap(text: str, width: int = 26) -> list[str]:
    """A label in lines of at most ``width`` characters, broken at spaces (never cut: a long unit name
    is printed whole, over as many lines as it needs; a single over-long word gets its own line)."""
    lines: list[str] = []
    for word in text.split():
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return lines or [""]
