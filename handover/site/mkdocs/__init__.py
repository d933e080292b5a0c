"""site/mkdocs"""
