"""Pygments' plugin module waits for a plugin to be looked for (blogcli/render/pygments_plugins.py):
the same HTML, a plugin's lexer still found, and importlib.metadata not imported for a code block
in a language Pygments knows. Each check runs a fresh interpreter (this one has Pygments loaded)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap

HIGHLIGHT_ALL = """
import json, sys
from blogcli.render.markdown import markdown_to_html, pygments_css
blocks = {lang: f"```{lang}\\ndef f(x):\\n    return {{'a': [1, 2.5, None]}}  # é\\n```\\n" for lang in
          ("python", "sh", "json", "javascript", "console", "no-such-language", "")}
print(json.dumps({"html": {lang: markdown_to_html(text) for lang, text in blocks.items()}, "css": pygments_css(),
                  "metadata loaded": "importlib.metadata" in sys.modules,
                  "plugin module": type(sys.modules["pygments.plugin"].find_plugin_lexers).__name__}))
"""


def fresh(code: str, env: dict | None = None) -> dict:
    result = subprocess.run([sys.executable, "-c", textwrap.dedent(code)], capture_output=True, text=True, timeout=120,
                            env={**os.environ, **(env or {})})
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_the_html_is_the_same_with_the_plugin_module_deferred():
    deferred = fresh(HIGHLIGHT_ALL)
    loaded_first = fresh("import pygments.plugin\n" + HIGHLIGHT_ALL)  # the stand-in is then never put in
    assert loaded_first["plugin module"] == "function" and loaded_first["metadata loaded"]
    assert deferred["html"] == loaded_first["html"] and deferred["css"] == loaded_first["css"]
    assert 'class="highlight"' in deferred["html"]["python"] and "<span" in deferred["html"]["sh"]


def test_a_known_language_loads_no_package_metadata():
    """A lexer Pygments has itself is found without asking for plugins (~15-20 ms of imports)."""
    code = """
import json, sys
from blogcli.render.markdown import markdown_to_html
html = markdown_to_html("```sh\\nls -l | wc -l\\n```\\n\\n```python\\nx = 1\\n```\\n")
print(json.dumps({"metadata loaded": "importlib.metadata" in sys.modules, "highlighted": html.count('class="highlight"')}))
"""
    assert fresh(code) == {"metadata loaded": False, "highlighted": 2}


def test_a_lexer_from_a_plugin_is_still_found(tmp_path):
    """A package that registers a lexer through the `pygments.lexers` entry point, as Pygments'
    plugin documentation says: looked for after Pygments' own lexers, it is found."""
    (tmp_path / "dotted_lexer.py").write_text(textwrap.dedent("""
        from pygments.lexer import RegexLexer
        from pygments.token import Keyword, Text

        class DottedLexer(RegexLexer):
            name = "Dotted"
            aliases = ["dotted-plugin-language"]
            tokens = {"root": [(r"\\.\\w+", Keyword), (r"[^.]+|\\.", Text)]}
    """))
    info = tmp_path / "dotted_lexer-1.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: dotted-lexer\nVersion: 1.0\n")
    (info / "entry_points.txt").write_text("[pygments.lexers]\ndotted = dotted_lexer:DottedLexer\n")
    code = """
import json, sys
from blogcli.render.markdown import markdown_to_html
before = "importlib.metadata" in sys.modules
html = markdown_to_html("```dotted-plugin-language\\nsay .hello there\\n```\\n")
print(json.dumps({"before": before, "html": html, "plugin module": type(sys.modules["pygments.plugin"]).__name__}))
"""
    found = fresh(code, env={"PYTHONPATH": os.pathsep.join(filter(None, [str(tmp_path), os.environ.get("PYTHONPATH")]))})
    assert found["before"] is False
    assert '<span class="k">.hello</span>' in found["html"]
