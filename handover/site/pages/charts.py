"""The only module that draws charts (pygal): posts per week against the cadence, and
mentions per week of the brand and its competitors.

Inline SVG, no script and no external file (pygal's tooltips script is left out),
so the chart works offline and from file://. The SVG carries role="img", a <title>
and a <desc> with every week's count: the text alternative. Pygal's random chart id,
its dated comment, its tooltip configuration script and its default title ("Pygal") are
taken out, so the same data gives the same bytes and the only title is ours.
"""

from __future__ import annotations

import html
import re

import pygal  # type: ignore[import-untyped]  # pygal ships no type information
from pygal.style import Style  # type: ignore[import-untyped]

_STYLE = Style(
    background="transparent", plot_background="transparent", foreground="#555", foreground_strong="#333",
    foreground_subtle="#ddd", opacity=".35", opacity_hover=".5", colors=("#00897b", "#e64a19"),
    font_family="system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif", label_font_size=11,
    major_label_font_size=11, legend_font_size=12, value_font_size=10, tooltip_font_size=11)
_ID_RE = re.compile(r"chart-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
_COMMENT_RE = re.compile(r"<!--.*?-->", re.DOTALL)
_SCRIPT_RE = re.compile(r"<script\b.*?</script>", re.DOTALL)  # pygal's tooltip config: no script runs in our charts


def weekly_chart(weeks: list[tuple[str, int | None]], cadence: float | None, *, chart_id: str, title: str, desc: str,
                 posts_label: str, cadence_label: str, small: bool = False, last_partial: bool = True) -> str:
    """An SVG line chart of posts per ISO week (None: not tracked yet) with the
    cadence as a dashed line. `title` and `desc` are the text alternative. With
    `last_partial`, the last week (still going on) is labelled `W49…`."""
    width, height = (260, 90) if small else (640, 260)
    chart = pygal.Line(
        width=width, height=height, explicit_size=True, style=_STYLE, js=[], disable_xml_declaration=True,
        show_legend=not small, legend_at_bottom=True, legend_at_bottom_columns=2, show_x_labels=not small,
        show_y_labels=not small, show_y_guides=not small, show_x_guides=False, fill=all(c is not None for _, c in weeks), dots_size=2 if small else 3,
        margin=4 if small else 16, include_x_axis=True, truncate_label=-1, x_label_rotation=0, print_values=False,
        range=(0, max([cadence or 0] + [c or 0 for _, c in weeks]) + 1), allow_interruptions=True, show_only_major_dots=False)
    chart.x_labels = [key.split("-")[1] + ("…" if last_partial and index == len(weeks) - 1 else "") for index, (key, _) in enumerate(weeks)]
    chart.add(posts_label, [c for _, c in weeks])
    if cadence:
        chart.add(cadence_label, [cadence] * len(weeks), fill=False, show_dots=False, stroke_style={"width": 2, "dasharray": "6,4"})
    return _finish(chart, chart_id, title, desc)


_SERIES_COLORS = ("#1a237e", "#e64a19", "#00897b", "#8e24aa", "#6d4c41", "#c2185b", "#546e7a", "#f9a825")


def mentions_chart(weeks: list[str], series: dict[str, list[int]], *, chart_id: str, title: str, desc: str) -> str:
    """An SVG line chart of mentions per ISO week, one line per name (the brand first,
    drawn thicker). `title` and `desc` are the text alternative."""
    style = Style(**{**_STYLE.to_dict(), "colors": _SERIES_COLORS})
    chart = pygal.Line(
        width=640, height=280, explicit_size=True, style=style, js=[], disable_xml_declaration=True, show_legend=True,
        legend_at_bottom=True, legend_at_bottom_columns=min(4, max(1, len(series))), show_x_guides=False, dots_size=3, margin=16,
        include_x_axis=True, truncate_label=-1, truncate_legend=-1, x_label_rotation=0, print_values=False,
        range=(0, max([1] + [max(v) for v in series.values() if v]) + 1))
    chart.x_labels = [key.split("-")[1] for key in weeks]
    for index, (name, values) in enumerate(series.items()):
        chart.add(name, values, stroke_style={"width": 3 if index == 0 else 1.5})
    return _finish(chart, chart_id, title, desc)


def _finish(chart: pygal.Line, chart_id: str, title: str, desc: str) -> str:
    """Same bytes for the same data (no random id, date or script); the text alternative in."""
    svg = str(chart.render(is_unicode=True))
    svg = _SCRIPT_RE.sub("", _COMMENT_RE.sub("", _ID_RE.sub(f"chart-{chart_id}", svg))).replace("<title>Pygal</title>", "", 1)  # pygal's own name
    alt = f'<title id="{chart_id}-t">{html.escape(title)}</title><desc id="{chart_id}-d">{html.escape(desc)}</desc>'
    return re.sub(r"^<svg ", f'<svg role="img" aria-labelledby="{chart_id}-t {chart_id}-d" ', svg, count=1).replace(">", ">" + alt, 1)
