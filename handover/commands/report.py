"""`handover report`: the weekly report in the format asked for. The report itself is
computed in report/model.py and worded in report/text.py (Markdown, JSON) and
site/pages/reports.py (HTML with charts), which the site's report pages share."""

from __future__ import annotations

import json

from handover.report.model import WeeklyReport
from handover.report.text import render_markdown, report_as_dict
from handover.site.pages.reports import render_html


def render(report: WeeklyReport, output_format: str, language: str) -> str:
    if output_format == "json":
        return json.dumps(report_as_dict(report), ensure_ascii=False, indent=2) + "\n"
    if output_format == "html":
        return render_html(report, language)
    return render_markdown(report, language)
