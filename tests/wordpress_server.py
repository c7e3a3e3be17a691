#!/usr/bin/env python3
"""A real WordPress on 127.0.0.1 for the integration tests, and for trying `--to wordpress` by hand.

    python3 tests/wordpress_server.py run              # start, print the settings, stop on Ctrl-C
    python3 tests/wordpress_server.py start [--dir D]  # start in the background (D: a new folder)
    python3 tests/wordpress_server.py env [--dir D]    # `export …` lines for the blog and the tests
    python3 tests/wordpress_server.py stop [--dir D]   # stop it and delete D

It runs Debian's packages (`wordpress`, `mariadb-server`, `php-cli`, `php-mysql` …), needs no root
and writes nothing outside its folder (default: $TMPDIR/blogcli-wordpress):

- MariaDB on a unix socket in that folder, no TCP (`--skip-networking`), on an empty data folder
  with `--skip-grant-tables`: a throwaway database reachable only through a socket in a 0700
  folder needs no accounts, and skipping `mariadb-install-db` saves ~3 s and 80 MB.
- WordPress from /usr/share/wordpress, seen through a folder of symlinks with its own
  `wp-config.php`. Debian's wp-config.php would read /etc/wordpress/config-<host>.php, which
  needs root and could clobber a real site's config; WordPress's wp-load.php reads
  `ABSPATH . 'wp-config.php'` instead when ABSPATH is defined first, which the router and the
  install script do. The config sets WP_ENVIRONMENT_TYPE `local` (application passwords over
  plain HTTP), blocks external HTTP, and turns wp-cron and updates off; a must-use plugin turns
  off comment-flood protection (the tests comment as one user several times a second).
- The install is a PHP script calling `wp_install()`, with pretty permalinks, a second user
  (`reader`, a subscriber, to comment as someone else) and an application password for each,
  made with `WP_Application_Passwords::create_new_application_password`.
- `php -S 127.0.0.1:0` (a free port, two workers, OPcache on) with a router: files as they
  are, everything else through WordPress's index.php, as Apache's rewrite rules would.

Each server runs in its own process group; stopping kills the groups (stopping only `php -S`
would leave its workers serving). Startup waits by polling, never by fixed sleeps.

For the tests: `for_tests()` is the fixture's body (skip with the reason, or fail in CI);
`php()` runs PHP inside the site (make content with wp_insert_post, export with export_wp());
`set_pretty_permalinks()` turns them off as a server without rewrite rules has them (then
/wp-json/ is a 404); `fail_requests()` makes chosen REST requests answer 503.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import asdict, dataclass, field
from pathlib import Path

WORDPRESS = Path("/usr/share/wordpress")
PACKAGES = "wordpress mariadb-server php-cli php-mysql php-xml php-mbstring php-curl php-gd"
STARTUP_TIMEOUT = 120.0  # seconds; generous: the machine may be busy, and every wait polls
STATE = "server.json"


@dataclass
class WordPressServer:
    folder: str
    url: str = ""
    user: str = "admin"
    password: str = ""  # the admin's application password
    reader: str = "reader"
    reader_password: str = ""  # the subscriber's application password
    groups: list[int] = field(default_factory=list)  # process groups to stop

    def env(self) -> dict[str, str]:
        return {
            "BLOG_WORDPRESS_URL": self.url,
            "BLOG_WORDPRESS_USER": self.user,
            "BLOG_WORDPRESS_PASSWORD": self.password,
            "BLOG_WORDPRESS_READER": self.reader,
            "BLOG_WORDPRESS_READER_PASSWORD": self.reader_password,
        }


def missing() -> str | None:
    """Why a WordPress cannot be started here, or None when it can."""
    for program in ("php", "mariadbd"):
        if shutil.which(program) is None and not Path("/usr/sbin", program).exists():
            return f"{program} is not installed (apt-get install {PACKAGES})"
    if not (WORDPRESS / "wp-settings.php").is_file():
        return f"{WORDPRESS} is missing (apt-get install {PACKAGES})"
    probe = subprocess.run(
        [_program("php"), "-r", 'exit(extension_loaded("mysqli") && extension_loaded("xml") ? 0 : 1);'], capture_output=True
    )
    if probe.returncode != 0:
        return f"PHP lacks mysqli or xml (apt-get install {PACKAGES})"
    return None


def _program(name: str) -> str:
    return shutil.which(name) or str(Path("/usr/sbin", name))


def default_folder() -> Path:
    return Path(tempfile.gettempdir()) / "blogcli-wordpress"


def start(folder: Path | None = None) -> WordPressServer:
    """Start MariaDB and WordPress in `folder` (made here; it must not exist); stop them on failure."""
    folder = Path(folder) if folder else Path(tempfile.mkdtemp(prefix="blogcli-wp-"))
    folder.mkdir(mode=0o700, exist_ok=True)
    if any(folder.iterdir()):
        raise RuntimeError(f"{folder} is not empty: is a server already running there? (stop it first)")
    server = WordPressServer(folder=str(folder))
    try:
        _start_database(server, folder)
        farm = _wordpress_folder(folder)
        _start_php(server, folder, farm)
        _write_config(server, folder, farm)
        _install(server, folder, farm)
        _wait_for(lambda: _status(server.url + "/wp-json/") == 200, "WordPress's REST API", folder / "php.log")
    except BaseException:
        _stop_groups(server.groups)
        raise
    (folder / STATE).write_text(json.dumps(asdict(server), indent=2))
    return server


def stop(folder: Path) -> None:
    """Stop the servers started in `folder` and delete it."""
    state = folder / STATE
    if state.is_file():
        _stop_groups(json.loads(state.read_text()).get("groups", []))
    else:  # a start that died half way: its pid files still name the groups
        _stop_groups([int(p.read_text()) for p in folder.glob("*.pgid") if p.read_text().strip().isdigit()])
    shutil.rmtree(folder, ignore_errors=True)


def set_pretty_permalinks(server: WordPressServer, on: bool) -> None:
    """Pretty permalinks on (the start's) or off: then WordPress announces `?rest_route=`, and
    the web server, with no rewrite rules, answers 404 for /wp-json/ and other such paths."""
    structure = "/%year%/%monthnum%/%postname%/" if on else ""
    php(server, f"update_option('permalink_structure', {_php_string(structure)}); flush_rewrite_rules(false);")
    flag = Path(server.folder) / "plain-permalinks"
    if on:
        flag.unlink(missing_ok=True)
    else:
        flag.touch()


def fail_requests(server: WordPressServer, method: str | None = None, route_pattern: str = "") -> None:
    """Make WordPress answer 503 to the REST requests `method` on routes matching the PCRE
    `route_pattern` (e.g. "#^/wp/v2/posts$#"); with no method, answer them all again."""
    if method:
        php(server, f"update_option('blogcli_tests_fail', {_php_string(f'{method} {route_pattern}')});")
    else:
        php(server, "delete_option('blogcli_tests_fail');")


def for_tests():
    """A fresh server for a pytest fixture (yield from it), stopped after; where it cannot start
    the test is skipped with the reason, except in CI (`CI` set), where that is a failure."""
    import pytest

    reason = missing()
    if reason:
        if os.environ.get("CI"):
            pytest.fail(f"CI must run the WordPress tests, but {reason}")
        pytest.skip(f"no real WordPress here: {reason}")
    folder = Path(tempfile.mkdtemp(prefix="blogcli-wp-"))
    try:
        server = start(folder)
    except RuntimeError as exc:
        stop(folder)
        if os.environ.get("CI"):
            pytest.fail(f"WordPress did not start: {exc}")
        pytest.skip(f"WordPress did not start: {exc}")
    try:
        yield server
    finally:
        stop(folder)


def load(folder: Path) -> WordPressServer:
    return WordPressServer(**json.loads((folder / STATE).read_text()))


def php(server: WordPressServer, code: str) -> str:
    """Run PHP statements `code` inside the site (WordPress loaded, as its admin) with php-cli; its output.

    What the tests do through WordPress's own functions rather than its REST API: make content as
    a site would have it (wp_insert_post, wp_insert_comment), export it (export_wp), change an
    option. A fatal error or a non-zero exit raises RuntimeError with its output.
    """
    folder = Path(server.folder)
    script = folder / f"snippet-{secrets.token_hex(6)}.php"
    header = SNIPPET.replace("@ABSPATH@", _php_string(f"{folder / 'wordpress'}/"))
    script.write_text(header.replace("@HOST@", _php_string(server.url.removeprefix("http://"))) + code)
    try:
        done = subprocess.run([_program("php"), str(script)], capture_output=True, cwd=folder, timeout=STARTUP_TIMEOUT)
    finally:
        script.unlink()
    if done.returncode != 0:  # a fatal error exits 255
        raise RuntimeError(f"PHP failed ({done.returncode}):\n{done.stderr.decode('utf-8', 'replace')[-2000:]}")
    return done.stdout.decode("utf-8")


# -- the pieces ----------------------------------------------------------------------------------


def _spawn(folder: Path, name: str, args: list[str], env: dict | None = None) -> subprocess.Popen:
    log = open(folder / f"{name}.log", "wb")  # a file, not a pipe: an unread pipe would block the server
    try:
        process = subprocess.Popen(
            args, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT, start_new_session=True, env=env, cwd=folder
        )
    finally:
        log.close()
    (folder / f"{name}.pgid").write_text(str(process.pid))
    return process


def _start_database(server: WordPressServer, folder: Path) -> None:
    data = folder / "db"
    data.mkdir()
    args = [
        _program("mariadbd"), "--no-defaults", f"--datadir={data}", f"--socket={folder / 'mysql.sock'}",
        "--skip-networking", "--skip-grant-tables", "--skip-log-bin", f"--pid-file={folder / 'mariadb.pid'}",
        "--innodb-buffer-pool-size=16M", "--innodb-log-file-size=8M", "--innodb-flush-log-at-trx-commit=0",
        "--character-set-server=utf8mb4", "--collation-server=utf8mb4_unicode_ci",
    ]
    if os.geteuid() == 0:
        args.append("--user=root")  # mariadbd refuses to run as root unless told to
    process = _spawn(folder, "mariadb", args)
    server.groups.append(process.pid)

    def ready() -> bool:
        if process.poll() is not None:
            raise RuntimeError(f"MariaDB exited ({process.returncode}):\n{_tail(folder / 'mariadb.log')}")
        client = shutil.which("mariadb") or shutil.which("mysql") or "mariadb"
        done = subprocess.run(
            [client, "--no-defaults", f"--socket={folder / 'mysql.sock'}", "-e", "CREATE DATABASE IF NOT EXISTS wordpress"],
            capture_output=True,
        )
        return done.returncode == 0

    _wait_for(ready, "MariaDB", folder / "mariadb.log")


def _wordpress_folder(folder: Path) -> Path:
    """Debian's WordPress through symlinks, with a wp-config.php and a wp-content of our own."""
    farm = folder / "wordpress"
    farm.mkdir()
    for entry in WORDPRESS.iterdir():
        if entry.name not in ("wp-config.php", "wp-content", ".htaccess"):
            (farm / entry.name).symlink_to(entry)
    for sub in ("plugins", "themes", "uploads", "mu-plugins"):
        (farm / "wp-content" / sub).mkdir(parents=True)
    (farm / "wp-content" / "mu-plugins" / "blogcli-tests.php").write_text(MU_PLUGIN)
    return farm


def _start_php(server: WordPressServer, folder: Path, farm: Path) -> None:
    router = folder / "router.php"
    router.write_text(ROUTER.replace("@ABSPATH@", _php_string(f"{farm}/")))
    env = {**os.environ, "PHP_CLI_SERVER_WORKERS": "2"}
    args = [
        _program("php"), "-d", "opcache.enable_cli=1", "-d", "upload_max_filesize=32M", "-d", "post_max_size=40M",
        "-d", "memory_limit=256M", "-S", "127.0.0.1:0", "-t", str(farm), str(router),
    ]
    process = _spawn(folder, "php", args, env=env)
    server.groups.append(process.pid)
    started = re.compile(rb"Development Server \(http://127\.0\.0\.1:(\d+)\) started")

    def listening() -> bool:
        if process.poll() is not None:
            raise RuntimeError(f"php -S exited ({process.returncode}):\n{_tail(folder / 'php.log')}")
        found = started.search((folder / "php.log").read_bytes())
        if found:
            server.url = f"http://127.0.0.1:{int(found.group(1))}"
        return found is not None

    _wait_for(listening, "php -S", folder / "php.log")


def _write_config(server: WordPressServer, folder: Path, farm: Path) -> None:
    salts = "".join(
        f"define({_php_string(name)}, {_php_string(secrets.token_urlsafe(48))});\n"
        for name in ("AUTH_KEY", "SECURE_AUTH_KEY", "LOGGED_IN_KEY", "NONCE_KEY", "AUTH_SALT", "SECURE_AUTH_SALT", "LOGGED_IN_SALT", "NONCE_SALT")
    )
    values = {
        "@DB_HOST@": _php_string(f"localhost:{folder / 'mysql.sock'}"),
        "@URL@": _php_string(server.url),
        "@CONTENT_DIR@": _php_string(str(farm / "wp-content")),
        "@SALTS@": salts,
    }
    text = CONFIG
    for key, value in values.items():
        text = text.replace(key, value)
    (farm / "wp-config.php").write_text(text)


def _install(server: WordPressServer, folder: Path, farm: Path) -> None:
    script = folder / "install.php"
    host = server.url.removeprefix("http://")
    script.write_text(INSTALL.replace("@ABSPATH@", _php_string(f"{farm}/")).replace("@HOST@", _php_string(host)))
    done = subprocess.run([_program("php"), str(script)], capture_output=True, cwd=folder, timeout=STARTUP_TIMEOUT)
    output = done.stdout.decode("utf-8", "replace")
    found = re.search(r"^BLOGCLI-INSTALLED (\{.*\})$", output, re.M)
    if done.returncode != 0 or not found:
        raise RuntimeError(f"the WordPress install failed ({done.returncode}):\n{output[-2000:]}\n{done.stderr.decode()[-2000:]}")
    result = json.loads(found.group(1))
    server.password, server.reader_password = result["admin"], result["reader"]


def _status(url: str) -> int | None:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status
    except urllib.error.HTTPError as exc:
        return exc.code
    except OSError:
        return None


def _wait_for(ready, what: str, log: Path, timeout: float = STARTUP_TIMEOUT) -> None:
    deadline = time.monotonic() + timeout
    delay = 0.02
    while not ready():
        if time.monotonic() > deadline:
            raise RuntimeError(f"{what} was not ready after {timeout:.0f} s:\n{_tail(log)}")
        time.sleep(delay)
        delay = min(delay * 1.5, 0.5)


def _stop_groups(groups: list[int]) -> None:
    """SIGTERM each process group, then SIGKILL what is left after a grace period."""
    for sig, grace in ((signal.SIGTERM, 15.0), (signal.SIGKILL, 5.0)):
        alive = [g for g in groups if _signal_group(g, sig)]
        deadline = time.monotonic() + grace
        while alive and time.monotonic() < deadline:
            time.sleep(0.05)
            alive = [g for g in alive if _signal_group(g, 0)]
        if not alive:
            return


def _signal_group(group: int, sig: int) -> bool:
    """Send `sig` to the group; False when no process of it is left."""
    try:
        os.killpg(group, sig)
    except ProcessLookupError:
        return False
    except PermissionError:
        return False
    try:  # reap our own children, so a dead server is not a zombie that "exists"
        os.waitpid(group, os.WNOHANG)
    except ChildProcessError:
        pass
    return True


def _tail(path: Path, lines: int = 20) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return "(no log)"


def _php_string(text: str) -> str:
    return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'"


ROUTER = r"""<?php
// php -S router: existing files as they are, PHP files run with our ABSPATH, the rest through
// index.php (what WordPress's rewrite rules do under Apache: pretty permalinks and /wp-json/).
define('ABSPATH', @ABSPATH@);
$path = rawurldecode(parse_url($_SERVER['REQUEST_URI'], PHP_URL_PATH) ?? '/');
$file = ABSPATH . ltrim($path, '/');
if (is_dir($file) && is_file(rtrim($file, '/') . '/index.php')) {
    $file = rtrim($file, '/') . '/index.php';
    $path = rtrim($path, '/') . '/index.php';
}
if (strpos($path, '..') === false && is_file($file)) {
    if (substr($file, -4) !== '.php') {
        return false;
    }
} elseif (is_file(dirname(ABSPATH) . '/plain-permalinks')) {
    // set_pretty_permalinks(False): a server without WordPress's rewrite rules (no .htaccess)
    http_response_code(404);
    echo "Not Found\n";
    return true;
} else {
    $file = ABSPATH . 'index.php';
    $path = '/index.php';
}
$_SERVER['SCRIPT_NAME'] = $path;
$_SERVER['PHP_SELF'] = $path;
$_SERVER['SCRIPT_FILENAME'] = $file;
chdir(dirname($file));
require $file;
"""

CONFIG = r"""<?php
// Written by tests/wordpress_server.py for a throwaway test site.
define('DB_NAME', 'wordpress');
define('DB_USER', 'root');
define('DB_PASSWORD', '');
define('DB_HOST', @DB_HOST@);
define('DB_CHARSET', 'utf8mb4');
define('DB_COLLATE', '');
define('WP_HOME', @URL@);
define('WP_SITEURL', @URL@);
define('WP_CONTENT_DIR', @CONTENT_DIR@);
define('WP_CONTENT_URL', @URL@ . '/wp-content');
define('WP_ENVIRONMENT_TYPE', 'local');
define('WP_HTTP_BLOCK_EXTERNAL', true);
define('DISABLE_WP_CRON', true);
define('AUTOMATIC_UPDATER_DISABLED', true);
define('WP_AUTO_UPDATE_CORE', false);
define('WP_DEBUG', false);
define('FS_METHOD', 'direct');
@SALTS@
$table_prefix = 'wp_';
require_once ABSPATH . 'wp-settings.php';
"""

MU_PLUGIN = r"""<?php
// Tests post several comments as one user within seconds; WordPress would call that a flood.
add_filter('comment_flood_filter', '__return_false');
// fail_requests(): the REST requests matching the option "METHOD /regex/" answer 503, as an
// overloaded host's would, until the option is deleted.
add_filter('rest_pre_dispatch', function ($result, $server, $request) {
    $failing = get_option('blogcli_tests_fail');
    if ($failing) {
        list($method, $pattern) = explode(' ', $failing, 2);
        if ($request->get_method() === $method && preg_match($pattern, $request->get_route())) {
            return new WP_Error('blogcli_tests_failing', 'Failing on purpose for a test.', array('status' => 503));
        }
    }
    return $result;
}, 10, 3);
"""

_LOAD_WORDPRESS = r"""define('ABSPATH', @ABSPATH@);
$_SERVER['HTTP_HOST'] = @HOST@;
$_SERVER['REQUEST_URI'] = '/';
$_SERVER['SERVER_NAME'] = '127.0.0.1';
$_SERVER['SERVER_PROTOCOL'] = 'HTTP/1.1';
require ABSPATH . 'wp-load.php';
"""  # WordPress loaded as a request to the site would load it

SNIPPET = r"""<?php
// Written by tests/wordpress_server.py: WordPress loaded as a request to the site would, as its admin.
""" + _LOAD_WORDPRESS + r"""wp_set_current_user(1);  // the admin: posts keep their markup (unfiltered_html), as the editor's would
"""

INSTALL = r"""<?php
// Install WordPress, as its installer would, and make an application password for two users.
define('WP_INSTALLING', true);
""" + _LOAD_WORDPRESS + r"""require_once ABSPATH . 'wp-admin/includes/upgrade.php';
$installed = wp_install('blogcli test site', 'admin', 'admin@example.invalid', true, '', wp_generate_password(24));
update_option('permalink_structure', '/%year%/%monthnum%/%postname%/');
update_option('comment_moderation', 0);
$GLOBALS['wp_rewrite']->init();
$GLOBALS['wp_rewrite']->flush_rules(false);
$reader = wp_insert_user(array(
    'user_login' => 'reader', 'user_pass' => wp_generate_password(24), 'user_email' => 'reader@example.invalid',
    'display_name' => 'Jo Reader', 'user_url' => 'https://jo.example/', 'role' => 'subscriber',
));
if (is_wp_error($reader)) { fwrite(STDERR, $reader->get_error_message()); exit(1); }
$admin = WP_Application_Passwords::create_new_application_password($installed['user_id'], array('name' => 'blogcli tests'));
$mine = WP_Application_Passwords::create_new_application_password($reader, array('name' => 'blogcli tests'));
if (is_wp_error($admin) || is_wp_error($mine)) { fwrite(STDERR, 'no application password'); exit(1); }
echo "\nBLOGCLI-INSTALLED " . json_encode(array('admin' => $admin[0], 'reader' => $mine[0])) . "\n";
"""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("action", choices=("start", "stop", "env", "run"))
    parser.add_argument("--dir", type=Path, default=None, help=f"the server's folder (default: {default_folder()})")
    args = parser.parse_args(argv)
    folder = args.dir or default_folder()
    if args.action in ("start", "run"):
        reason = missing()
        if reason:
            print(f"error: {reason}", file=sys.stderr)
            return 1
        began = time.monotonic()
        try:
            server = start(folder)
        except RuntimeError as exc:
            print(f"error: {exc}", file=sys.stderr)
            stop(folder)
            return 1
        print(f"WordPress at {server.url}/ (user {server.user}), started in {time.monotonic() - began:.1f} s", file=sys.stderr)
        _print_env(server)
        if args.action == "start":
            print(f"# stop it with: python3 {sys.argv[0]} stop --dir {folder}", file=sys.stderr)
            return 0
        try:
            signal.pause()
        except KeyboardInterrupt:
            pass
        stop(folder)
        return 0
    if args.action == "stop":
        stop(folder)
        return 0
    if not (folder / STATE).is_file():
        print(f"error: no server running in {folder}", file=sys.stderr)
        return 1
    _print_env(load(folder))
    return 0


def _print_env(server: WordPressServer) -> None:
    import shlex

    for key, value in server.env().items():
        print(f"export {key}={shlex.quote(value)}")


if __name__ == "__main__":
    sys.exit(main())
