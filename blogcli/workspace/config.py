"""blog.toml, read into a typed Config."""

from __future__ import annotations

import json
import re
import time
from dataclasses import dataclass, field
from pathlib import Path

from blogcli.errors import ConfigError
from blogcli.workspace.cachefiles import read_cache_file, write_cache_file

CONFIG_NAME = "blog.toml"
MARKDOWN_ENGINES = ("cmark", "python-markdown")
PUBLISH_TARGETS = ("site", "wordpress")  # where `blog publish` puts a post; the files always change


LOCAL_HOSTS = ("localhost", "127.0.0.1", "::1", "0.0.0.0")


@dataclass
class Config:
    title: str = "My blog"
    author: str = ""
    base_url: str = "http://localhost:8000/"
    timezone: str = "UTC"
    language: str = "en"
    description: str = ""
    words_per_minute: int = 230
    posts_per_page: int = 10
    markdown_engine: str = "cmark"
    series: dict[str, dict] = field(default_factory=dict)
    menu: list[str] | None = None  # [site] menu: the pages the site's navigation links, in order
    publish_targets: tuple[str, ...] = ("site",)  # [publish] targets
    wordpress: dict | None = None  # [publish.wordpress], checked by blogcli.publishing.wordpress.target
    stats_page: bool = False  # [site] stats: `blog build` writes /stats/
    raw: dict = field(default_factory=dict)

    @property
    def base_url_is_real(self) -> bool:
        """blog.toml names where the site will live (not left out, not this machine): only then
        are feed ids and absolute links made from it for good."""
        from urllib.parse import urlsplit

        return "base_url" in self.raw and (urlsplit(self.base_url).hostname or "localhost") not in LOCAL_HOSTS


# A file changed this recently may change again within the same timestamp tick, unseen by its
# size and mtime (git's "racy clean" problem): caches keyed by them leave it out.
RACY_SECONDS = 2


def is_settled(mtime_ns: int) -> bool:
    return mtime_ns < time.time_ns() - RACY_SECONDS * 1_000_000_000


def load_config(root: Path, cache: Path | None = None) -> Config:
    """blog.toml's settings. `cache` (a JSON file under .blog/cache) spares the TOML parse."""
    raw = _read_tables(root / CONFIG_NAME, cache)
    config = Config(raw=raw)
    for key in ("title", "author", "base_url", "timezone", "language", "description"):
        value = raw.get(key, getattr(config, key))
        if not isinstance(value, str):
            raise ConfigError(f"{CONFIG_NAME}: {key} must be text, found {value!r}")
        setattr(config, key, value)
    if not config.base_url.endswith("/"):
        config.base_url += "/"
    build = raw.get("build", {})
    preview = raw.get("preview", {})
    for name, table in (("build", build), ("preview", preview)):
        if not isinstance(table, dict):
            raise ConfigError(f"{CONFIG_NAME}: {name} must be a [{name}] section, found {table!r}")
    config.markdown_engine = build.get("markdown", config.markdown_engine)
    if config.markdown_engine not in MARKDOWN_ENGINES:
        raise ConfigError(
            f"{CONFIG_NAME}: [build] markdown = {config.markdown_engine!r} is not an engine blogcli has",
            hint="choose one of: " + ", ".join(MARKDOWN_ENGINES),
        )
    for section, key, attr in (("build", "posts_per_page", "posts_per_page"), ("preview", "words_per_minute", "words_per_minute")):
        value = (build if section == "build" else preview).get(key, getattr(config, attr))
        if not isinstance(value, int) or isinstance(value, bool) or value < 1:
            raise ConfigError(f"{CONFIG_NAME}: [{section}] {key} must be a whole number from 1, found {value!r}")
        setattr(config, attr, value)
    series = raw.get("series", {})
    if not isinstance(series, dict) or not all(isinstance(v, dict) for v in series.values()):
        raise ConfigError(f"{CONFIG_NAME}: [series.<name>] sections must be tables")
    config.series = series
    config.stats_page = _site_stats(raw.get("site", {}))  # also refuses a [site] that is no table
    _read_publish(raw.get("publish", {}), config)
    menu = raw.get("site", {}).get("menu")
    if menu is not None:
        if not isinstance(menu, list) or not all(isinstance(name, str) for name in menu):
            raise ConfigError(f"{CONFIG_NAME}: [site] menu must be a list of page slugs, found {menu!r}",
                              hint='for example: menu = ["about", "now"]')
        config.menu = menu
    return config


def _site_stats(site: object) -> bool:
    """[site] stats = true: the site has a /stats/ page (off by default)."""
    if not isinstance(site, dict):
        raise ConfigError(f"{CONFIG_NAME}: site must be a [site] section, found {site!r}")
    value = site.get("stats", False)
    if not isinstance(value, bool):
        raise ConfigError(f"{CONFIG_NAME}: [site] stats must be true or false, found {value!r}")
    return value


def _read_publish(publish: object, config: Config) -> None:
    if not isinstance(publish, dict):
        raise ConfigError(f"{CONFIG_NAME}: [publish] must be a table")
    targets = publish.get("targets", list(config.publish_targets))
    if not isinstance(targets, list) or not targets or not all(t in PUBLISH_TARGETS for t in targets):
        raise ConfigError(
            f"{CONFIG_NAME}: [publish] targets must be a list of {', '.join(PUBLISH_TARGETS)}, found {targets!r}",
            hint='for example: targets = ["site", "wordpress"]',
        )
    config.publish_targets = tuple(dict.fromkeys(targets))
    wordpress = publish.get("wordpress")
    if wordpress is not None and not isinstance(wordpress, dict):
        raise ConfigError(f"{CONFIG_NAME}: [publish.wordpress] must be a table")
    config.wordpress = wordpress


def _read_tables(path: Path, cache: Path | None) -> dict:
    """The TOML's tables, from `cache` when it holds those of this very file (same size, mtime and
    inode). tomllib is pure Python: import and parse cost ~20 ms for a blog with hundreds of
    series, on every command; reading the JSON costs well under 1 ms."""
    try:
        st = path.stat()
        data = path.read_bytes()
    except OSError as exc:
        raise ConfigError(f"{CONFIG_NAME}: cannot read ({exc.strerror or exc})") from None
    key = [st.st_size, st.st_mtime_ns, st.st_ino]
    if cache is not None:
        try:
            cached = json.loads(read_cache_file(cache) or b"null")
            if cached["key"] == key and isinstance(cached["tables"], dict):
                return cached["tables"]
        except (ValueError, KeyError, TypeError):
            pass
    tables = _parse_toml(data)
    if cache is not None and is_settled(st.st_mtime_ns):
        _write_cache(cache, key, tables)
    return tables


def _parse_toml(data: bytes) -> dict:
    import tomllib

    try:
        return tomllib.loads(data.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise ConfigError(f"{CONFIG_NAME}: cannot read ({exc})") from None
    except tomllib.TOMLDecodeError as exc:
        found = re.search(r"line (\d+)", str(exc))
        where = f"{CONFIG_NAME}:{found.group(1)}" if found else CONFIG_NAME
        raise ConfigError(f"{where}: not valid TOML: {exc}") from None


def _write_cache(cache: Path, key: list[int], tables: dict) -> None:
    try:
        data = json.dumps({"key": key, "tables": tables}, ensure_ascii=False).encode("utf-8")
    except (TypeError, ValueError):  # TOML dates have no JSON form: that blog.toml is not cached
        return
    write_cache_file(cache, data)


def config_template(title: str, author: str, base_url: str | None = None) -> str:
    import json

    url_line = (
        f"base_url = {json.dumps(base_url, ensure_ascii=False)}\n" if base_url else
        '# base_url = "https://example.org/"   # where the site will live: set it before you publish\n'
    )
    return (
        f"# blogcli workspace settings. Posts live in drafts/ and published/.\n"
        f"title = {json.dumps(title, ensure_ascii=False)}\n"
        f"author = {json.dumps(author, ensure_ascii=False)}\n"
        f"{url_line}"
        f'timezone = "UTC"\n'
        f"\n"
        f"[build]\n"
        f'markdown = "cmark"       # or "python-markdown"\n'
        f"posts_per_page = 10\n"
        f"\n"
        f"[preview]\n"
        f"words_per_minute = 230\n"
        f"\n"
        f"# One section per series (optional): the name as you write it in front matter, a cadence.\n"
        f"# [series.my-series]\n"
        f'# title = "My series"\n'
        f'# cadence = "weekly on Monday 09:00"\n'
    )
