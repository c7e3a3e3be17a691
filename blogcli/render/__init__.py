"""Rendering: the Markdown dialect shared by the site and the preview, the terminal preview, the site."""
