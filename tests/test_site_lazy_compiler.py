"""Jinja2's compiler waits for a template compiled from its text (blogcli/site/lazy_compiler.py):
blogcli's compiled templates render the same bytes without it, and a template from text (a
workspace's, `from_string`) still compiles, with the real names put back. Each check runs a fresh
interpreter (this one has Jinja2 loaded)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap

RENDER = """
import json, sys
from blogcli.site.precompiled import PACKAGE_TEMPLATES
from blogcli.site.lazy_compiler import import_jinja2
from blogcli.site.theme import render_page
from blogcli.site.views import json_ld_html
import_jinja2()  # as a build does before its first page
site = {"title": "A <b>blog</b>", "description": "", "base_url": "https://example.org/", "prefix": "/", "menu": [],
        "feed_url": "/feed.xml", "stylesheet_url": "/style.css", "favicon_url": "/favicon.svg", "language": "en"}
pages = {
    "404": render_page((PACKAGE_TEMPLATES,), "404.html", site=site, canonical="https://example.org/404.html",
                       page_title="Page not found").decode(),
    "tags": render_page((PACKAGE_TEMPLATES,), "tags.html", site=site, canonical="https://example.org/tags/",
                        page_title="Tags", tags=[{"name": "<x>", "url": "/tags/x/", "count": 2}]).decode(),
    "json_ld": str(json_ld_html({"headline": "</script>&'"})),
}
print(json.dumps({"pages": pages, "compiler": sorted(m for m in ("jinja2.compiler", "jinja2.lexer", "jinja2.parser",
                                                                 "jinja2.bccache") if m in sys.modules)}))
"""


def fresh(code: str) -> dict:
    result = subprocess.run([sys.executable, "-c", textwrap.dedent(code)], capture_output=True, text=True, timeout=120,
                            env=os.environ.copy())
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_compiled_templates_render_the_same_bytes_without_the_compiler():
    deferred = fresh(RENDER)
    loaded_first = fresh("import jinja2.compiler\n" + RENDER)  # Jinja2 imported as it is: the trick stands aside
    assert deferred["compiler"] == []
    assert loaded_first["compiler"] == ["jinja2.bccache", "jinja2.compiler", "jinja2.lexer", "jinja2.parser"]
    assert deferred["pages"] == loaded_first["pages"]
    assert "A &lt;b&gt;blog&lt;/b&gt;" in deferred["pages"]["404"] and "&lt;x&gt;" in deferred["pages"]["tags"]
    assert deferred["pages"]["json_ld"] == '{"headline": "\\u003c/script\\u003e\\u0026\\u0027"}'


def test_a_template_from_text_loads_the_compiler_and_the_real_names():
    found = fresh("""
        import json, sys
        from blogcli.site.lazy_compiler import StandIn, import_jinja2
        import_jinja2()
        import jinja2, jinja2.environment
        before = "jinja2.compiler" in sys.modules
        text = jinja2.Environment(autoescape=True).from_string("{% for x in xs %}{{ x }};{% endfor %}").render(xs=["<a>", 2])
        names = [getattr(holder, name) for holder in (jinja2, jinja2.environment)
                 for name in ("CodeGenerator", "generate", "get_lexer", "Lexer", "TokenStream", "Parser",
                              "BytecodeCache", "FileSystemBytecodeCache") if hasattr(holder, name)]
        print(json.dumps({"before": before, "text": text, "after": "jinja2.compiler" in sys.modules,
                          "stand_ins": [repr(n) for n in names if isinstance(n, StandIn)],
                          "generator": jinja2.Environment.code_generator_class is sys.modules["jinja2.compiler"].CodeGenerator,
                          "cache": type(jinja2.FileSystemBytecodeCache()).__module__}))
    """)
    assert found["before"] is False and found["after"] is True
    assert found["text"] == "&lt;a&gt;;2;"
    assert found["stand_ins"] == [] and found["generator"] is True
    assert found["cache"] == "jinja2.bccache"


def test_a_workspace_template_compiles_after_the_deferred_import(tmp_path):
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates" / "404.html").write_text("{{ page_title }} – {{ site.title }}\n", encoding="utf-8")
    found = fresh(f"""
        import json
        from pathlib import Path
        from blogcli.site.theme import render_page, template_dirs
        from blogcli.site.lazy_compiler import import_jinja2
        import_jinja2()  # as a build does before its first page
        page = render_page(tuple(template_dirs(Path({str(tmp_path)!r}))), "404.html", site={{"title": "<T>"}},
                           page_title="Gone")
        print(json.dumps({{"page": page.decode()}}))
    """)
    assert found["page"] == "Gone – &lt;T&gt;\n"


def test_a_build_that_renders_pages_in_its_own_process_loads_no_compiler(sample):
    """The sample blog's build and a build after one edit render their pages here, not in workers."""
    found = fresh(f"""
        import json, sys
        from pathlib import Path
        from blogcli.site.builder import build_site
        from blogcli.workspace.store import Workspace
        root = Path({str(sample)!r})
        deferred = ("jinja2.compiler", "jinja2.lexer", "jinja2.parser", "jinja2.bccache")
        first = build_site(Workspace.open(root))
        after_first = sorted(m for m in deferred if m in sys.modules)
        post = sorted((root / "published").glob("*.md"))[0]
        post.write_text(post.read_text(encoding="utf-8") + "\\nOne more line.\\n", encoding="utf-8")
        again = build_site(Workspace.open(root))
        print(json.dumps({{"rendered": [first.rendered_posts, again.rendered_posts], "jinja2": "jinja2" in sys.modules,
                           "compiler": after_first + sorted(m for m in deferred if m in sys.modules)}}))
    """)
    assert found["rendered"][0] > 1 and found["rendered"][1] == 1 and found["jinja2"] is True
    assert found["compiler"] == []
