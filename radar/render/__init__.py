"""Renderers: a Report as terminal cards, Markdown, or JSON."""
