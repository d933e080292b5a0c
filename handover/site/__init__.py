"""The site: records rendered to Markdown pages (pure Python: context, records,
indexes, generate) and the MkDocs side (plugin, build), the only modules importing
mkdocs."""
