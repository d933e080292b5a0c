"""A Markdown text as one self-contained HTML page (HANDOVER.html in the pack).

Readable without the site and without the internet: no external style, no script.
"""

from __future__ import annotations

import html

STYLE = """
body { font: 16px/1.55 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; max-width: 52rem; margin: 2rem auto; padding: 0 1rem; color: #222; }
h1 { font-size: 1.8rem; border-bottom: 2px solid #00897b; padding-bottom: .3rem; }
h2 { font-size: 1.35rem; margin-top: 2rem; color: #00695c; }
h3 { font-size: 1.1rem; margin-bottom: .3rem; }
code { background: #f3f3f3; padding: 0 .25em; border-radius: 3px; font-size: .9em; }
a { color: #00695c; }
li { margin: .15rem 0; }
table { border-collapse: collapse; } td, th { border: 1px solid #ddd; padding: .3rem .6rem; }
"""


def markdown_page(text: str, language: str) -> str:
    """`text` (Markdown) as a complete HTML document; its first heading is the title."""
    import markdown

    body = markdown.markdown(text, extensions=["tables", "attr_list", "sane_lists"])
    title = next((line[2:].strip() for line in text.splitlines() if line.startswith("# ")), "handover")
    return (f'<!doctype html>\n<html lang="{html.escape(language)}">\n<head>\n<meta charset="utf-8">\n'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">\n<title>{html.escape(title)}</title>\n'
            f"<style>{STYLE}</style>\n</head>\n<body>\n{body}\n</body>\n</html>\n")
