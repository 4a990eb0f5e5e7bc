"""Sphinx configuration: the docs are MyST Markdown, as docs.plone.org
writes them; ``make docs`` builds them with warnings as errors."""
project = 'Products.RefreshManager'
author = 'The Products.RefreshManager developers'
copyright = 'the Products.RefreshManager developers'
extensions = ['myst_parser']
source_suffix = {'.md': 'markdown'}
myst_heading_anchors = 3
exclude_patterns = ['_build']
html_theme = 'alabaster'
html_static_path = []
