"""blogcli/lazy_imports.py: modules Typer imports for rare paths run on first use, and then as usual.

Each check runs a fresh interpreter, as the trick changes `sys.modules` for the whole process."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap

from blogcli import lazy_imports


def fresh(code: str, cwd=None, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", textwrap.dedent(code)], capture_output=True, text=True, timeout=60, cwd=cwd,
                          env={**os.environ, **(env or {})})


def last_json(result: subprocess.CompletedProcess):
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_a_deferred_module_runs_on_first_use_and_is_then_the_usual_one():
    result = fresh("""
        import json, sys
        from blogcli import lazy_imports
        assert lazy_imports.defer() == ["subprocess", "difflib", "gettext", "shutil", "tokenize", "textwrap"]
        import subprocess, difflib
        from difflib import get_close_matches
        from gettext import gettext as _
        from shutil import get_terminal_size
        before = {name: type(sys.modules[name]).__name__ for name in ("subprocess", "difflib", "gettext", "shutil")}
        spec = subprocess.__spec__.name  # the import system's attributes do not run it
        ran = subprocess.run([sys.executable, "-c", "print(6 * 7)"], capture_output=True, text=True).stdout.strip()
        matches = get_close_matches("lsit", ["list", "new", "edit"])
        ratio = difflib.SequenceMatcher(None, "abc", "abd").ratio()
        after = {name: type(sys.modules[name]).__name__ for name in ("subprocess", "difflib", "gettext", "shutil")}
        print(json.dumps([before, spec, ran, matches, round(ratio, 3), after, _("Options"), get_terminal_size((81, 24)).columns > 0,
                          sys.modules["subprocess"] is subprocess, "Popen" in dir(subprocess), lazy_imports.defer()]))
    """)
    before, spec, ran, matches, ratio, after, text, size, same, listed, again = last_json(result)
    assert before == {"subprocess": "_Deferred", "difflib": "_Deferred", "gettext": "_Deferred", "shutil": "_Deferred"}
    assert spec == "subprocess" and ran == "42" and matches == ["list"] and ratio == 0.667
    assert after == {"subprocess": "module", "difflib": "module", "gettext": "_Deferred", "shutil": "_Deferred"}  # not read yet
    assert text == "Options" and size and same and listed
    assert again == []  # each is in sys.modules already


def test_a_module_loaded_already_a_package_or_a_missing_one_is_left_alone():
    result = fresh("""
        import json, subprocess, sys
        from blogcli import lazy_imports
        print(json.dumps([lazy_imports.defer({"subprocess": (), "json": (), "no_such_module_here": (), "email": ()}),
                          type(sys.modules["subprocess"]).__name__, "no_such_module_here" in sys.modules, "email" in sys.modules]))
    """)
    assert last_json(result) == [[], "module", False, False]


def test_an_error_in_the_module_code_is_raised_where_it_is_used_and_again_next_time(tmp_path):
    (tmp_path / "breaks.py").write_text("raise ValueError('broken on purpose')\n")
    result = fresh("""
        import json, sys
        from blogcli import lazy_imports
        deferred = lazy_imports.defer({"breaks": ("anything",)})
        import breaks
        errors = []
        for _ in range(2):
            try:
                breaks.anything()
            except ValueError as exc:
                errors.append(str(exc))
        print(json.dumps([deferred, errors]))
    """, env={"PYTHONPATH": str(tmp_path)})
    assert last_json(result) == [["breaks"], ["broken on purpose", "broken on purpose"]]


def test_threads_that_need_a_module_at_once_wait_for_one_run_and_its_own_code_sees_it_unfinished(tmp_path):
    (tmp_path / "slow.py").write_text(
        "import sys, threading\n"
        "RUNS = getattr(sys, 'slow_runs', 0) + 1\nsys.slow_runs = RUNS\n"
        "threading.Event().wait(0.3)  # long enough for the other thread to ask meanwhile\n"
        "try:\n    sys.modules[__name__].LATER\n    SEEN = 'found'\nexcept AttributeError as exc:\n    SEEN = str(exc)\n"
        "LATER = 42\n"
    )
    result = fresh("""
        import json, sys, threading
        from blogcli import lazy_imports
        lazy_imports.defer({"slow": ()})
        import slow
        values = []
        threads = [threading.Thread(target=lambda: values.append(slow.LATER)) for _ in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        print(json.dumps([values, slow.RUNS, slow.SEEN, type(slow).__name__]))
    """, env={"PYTHONPATH": str(tmp_path)})
    values, runs, seen, kind = last_json(result)
    assert values == [42, 42, 42, 42] and runs == 1 and kind == "module"
    assert seen == "partially initialized module 'slow' has no attribute 'LATER'"


def test_commands_run_none_of_them_and_help_typos_and_completion_still_work(sample):
    names = list(lazy_imports.MODULES)
    probe = f"import sys, json\nprint(json.dumps([type(sys.modules.get(n)).__name__ for n in {names!r}]))"
    for args in (["list", "--json"], ["list"], ["check"], ["search", "bus"], ["build"]):
        code = f"from blogcli.entry import main\nassert main({args!r}) == 0\n{probe}"
        ran = dict(zip(names, last_json(fresh(code, cwd=sample))))
        if args == ["build"]:  # its lock removes .blog/staging/ through shutil.rmtree (workspace/journal.py)
            del ran["shutil"]
        assert set(ran.values()) == {"_Deferred"}, (args, ran)
    typo = fresh("from blogcli.entry import main\nraise SystemExit(main(['lsit']))", cwd=sample)
    assert typo.returncode == 2 and "Did you mean" in typo.stderr and "list" in typo.stderr
    helped = fresh("from blogcli.entry import main\nraise SystemExit(main(['--help']))", cwd=sample)
    assert helped.returncode == 0 and "Options" in helped.stdout and "Commands" not in helped.stderr
    completed = fresh("from blogcli.entry import main\nraise SystemExit(main([]))", cwd=sample,
                      env={"_BLOG_COMPLETE": "complete_bash", "COMP_WORDS": "blog li", "COMP_CWORD": "1"})
    assert completed.returncode == 0 and "list" in completed.stdout.split()


def test_a_traceback_still_shows_its_source_lines(tmp_path):
    """linecache reads source files through tokenize.open: the deferred tokenize runs then."""
    (tmp_path / "failing.py").write_text("def fail():\n    return 1 / 0  # the line shown\n")
    result = fresh("""
        import json, sys
        from blogcli import lazy_imports
        assert "tokenize" in lazy_imports.defer()
        import traceback, failing
        try:
            failing.fail()
        except ZeroDivisionError:
            text = traceback.format_exc()
        print(json.dumps(["return 1 / 0  # the line shown" in text, type(sys.modules["tokenize"]).__name__]))
    """, env={"PYTHONPATH": str(tmp_path)})
    assert last_json(result) == [True, "module"]
