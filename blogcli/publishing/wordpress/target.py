"""`[publish.wordpress]` in blog.toml, and where the secret comes from.

    [publish.wordpress]
    url = "https://example.org/"              # the site's root; its REST API is discovered from it
    user = "robin"                            # a user with an application password
    password_command = "pass show blog/wp"    # or BLOG_WORDPRESS_PASSWORD in the environment
    # api = "https://example.org/wp-json/"    # the REST root, when discovery cannot find it
    # timeout = 30                            # seconds per request

WordPress.com sites take an OAuth2 token instead: `api = "https://public-api.wordpress.com/wp/v2/sites/<site>/"`
and `token_command` (or BLOG_WORDPRESS_TOKEN).

The secret never lives in blog.toml: that file is copied into every backup and every commit of
the blog, so a `password` or `token` key there is refused, saying so.
"""

from __future__ import annotations

import ipaddress
import os
import shlex
import subprocess
from dataclasses import dataclass
from urllib.parse import urlsplit

from blogcli.errors import ConfigError
from blogcli.workspace.config import CONFIG_NAME, Config

PASSWORD_ENV = "BLOG_WORDPRESS_PASSWORD"
TOKEN_ENV = "BLOG_WORDPRESS_TOKEN"
SECTION = "[publish.wordpress]"
KEYS = ("url", "api", "user", "password_command", "token_command", "timeout")
SECRET_KEYS = ("password", "token", "application_password", "app_password")
DEFAULT_TIMEOUT = 30.0
COMMAND_TIMEOUT = 120  # seconds for password_command: long enough to type a passphrase into pinentry


@dataclass(frozen=True)
class WordPressTarget:
    url: str  # the site's root, ending with "/"
    api: str | None = None  # the REST root, when given (else discovered from `url`)
    user: str | None = None
    password_command: str | None = None
    token_command: str | None = None
    timeout: float = DEFAULT_TIMEOUT

    @property
    def uses_token(self) -> bool:
        return bool(self.token_command) or (not self.user and bool(os.environ.get(TOKEN_ENV)))


@dataclass(frozen=True)
class Credentials:
    """HTTP Basic (user and application password) or an OAuth2 bearer token."""

    user: str | None
    secret: str
    bearer: bool = False


def wordpress_target(config: Config) -> WordPressTarget:
    """The target from blog.toml, checked: ConfigError names the key and says what to write."""
    table = config.wordpress
    if table is None:
        raise ConfigError(
            f"{CONFIG_NAME} has no {SECTION} section",
            hint=f'add one: {SECTION} url = "https://example.org/", user = "you" (README: Publishing to WordPress)',
        )
    secret = next((key for key in SECRET_KEYS if key in table), None)
    if secret is not None:
        raise ConfigError(
            f"{CONFIG_NAME}: {SECTION} {secret}: a password in {CONFIG_NAME} ends up in every backup and commit of your blog",
            hint=f"remove it; set {PASSWORD_ENV} in the environment, or password_command = \"pass show blog/wordpress\"",
        )
    unknown = sorted(set(table) - set(KEYS))
    if unknown:
        raise ConfigError(f"{CONFIG_NAME}: {SECTION} has no setting {unknown[0]!r}", hint="the settings are: " + ", ".join(KEYS))
    for key in KEYS[:-1]:
        if key in table and not (isinstance(table[key], str) and table[key].strip()):
            raise ConfigError(f"{CONFIG_NAME}: {SECTION} {key} must be text, found {table[key]!r}")
    url = table.get("url") or table.get("api")
    if not url:
        raise ConfigError(f"{CONFIG_NAME}: {SECTION} needs url, the site's address", hint='url = "https://example.org/"')
    timeout = table.get("timeout", DEFAULT_TIMEOUT)
    if isinstance(timeout, bool) or not isinstance(timeout, (int, float)) or timeout <= 0:
        raise ConfigError(f"{CONFIG_NAME}: {SECTION} timeout must be a number of seconds, found {timeout!r}")
    target = WordPressTarget(
        url=_address(url, "url"),
        api=_address(table["api"], "api") if table.get("api") else None,
        user=table.get("user"),
        password_command=table.get("password_command"),
        token_command=table.get("token_command"),
        timeout=float(timeout),
    )
    if not target.user and not target.uses_token:
        raise ConfigError(f"{CONFIG_NAME}: {SECTION} needs user, the WordPress user to publish as", hint='user = "you"')
    return target


def _address(value: str, key: str) -> str:
    parts = urlsplit(value.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ConfigError(f"{CONFIG_NAME}: {SECTION} {key} must be an http(s) address, found {value!r}")
    if parts.scheme == "http" and not _loopback(parts.hostname):
        raise ConfigError(
            f"{CONFIG_NAME}: {SECTION} {key} = {value!r} would send your password unencrypted",
            hint="use https://; WordPress accepts application passwords over plain http only on a local test site",
        )
    text = value.strip()
    return text if text.endswith("/") or parts.query else text + "/"


def _loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def credentials(target: WordPressTarget) -> Credentials:
    """The secret: from the environment, else from the configured command (run without a shell)."""
    if target.uses_token:
        token = os.environ.get(TOKEN_ENV) or _run_command(target.token_command, "token_command", TOKEN_ENV)
        return Credentials(None, token, bearer=True)
    password = os.environ.get(PASSWORD_ENV) or _run_command(target.password_command, "password_command", PASSWORD_ENV)
    return Credentials(target.user, password)


def _run_command(command: str | None, key: str, variable: str) -> str:
    """The first line the command prints; its prompts (a passphrase) reach the terminal."""
    if not command:
        raise ConfigError(
            f"no WordPress password: {variable} is not set and {SECTION} has no {key}",
            hint=f'set {variable}, or {key} = "pass show blog/wordpress" in {CONFIG_NAME}',
        )
    try:
        args = shlex.split(command)
    except ValueError as exc:
        raise ConfigError(f"{CONFIG_NAME}: {SECTION} {key}: {exc}") from None
    if not args:
        raise ConfigError(f"{CONFIG_NAME}: {SECTION} {key} is empty")
    try:
        done = subprocess.run(args, stdout=subprocess.PIPE, stdin=None, stderr=None, timeout=COMMAND_TIMEOUT)
    except FileNotFoundError:
        raise ConfigError(f"{SECTION} {key}: {args[0]} not found", hint=f"install it, or set {variable} instead") from None
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise ConfigError(f"{SECTION} {key}: {args[0]} failed: {exc}") from None
    if done.returncode != 0:
        raise ConfigError(f"{SECTION} {key}: {args[0]} failed (exit status {done.returncode})", hint=f"run it yourself: {command}")
    lines = done.stdout.decode("utf-8", "replace").splitlines()
    secret = lines[0].strip() if lines else ""
    if not secret:
        raise ConfigError(f"{SECTION} {key}: {args[0]} printed nothing", hint="it should print the secret on its first line")
    return secret
