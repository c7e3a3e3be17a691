"""Edits to blog.toml: a series' section and its keys, made with tomlkit so the author's comments,
key order and layout stay exactly as they were around the lines that change.

The new bytes are returned, not written: the caller writes them in the same Transaction as the
posts they go with (a new series' first part and its section land together or not at all).
"""

from __future__ import annotations

from blogcli.errors import ConfigError
from blogcli.model.series import Series
from blogcli.workspace.config import CONFIG_NAME, load_config
from blogcli.workspace.store import Workspace


def series_section_bytes(ws: Workspace, series: Series, *, base: bytes | None = None, **values: str) -> bytes:
    """blog.toml with `[series.<slug>]` for `series` (made, with its title, if missing) and `values` set in it.
    `base`: the blog.toml to change, when not the file's own (a change adding several sections)."""
    import tomlkit
    from tomlkit.exceptions import TOMLKitError

    path = ws.path_of(CONFIG_NAME)
    try:
        document = tomlkit.parse(base.decode("utf-8") if base is not None else path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, TOMLKitError) as exc:
        raise ConfigError(f"{CONFIG_NAME}: cannot read it to change it ({exc})") from None
    try:
        sections = document.get("series")
        if sections is None:
            sections = tomlkit.table(is_super_table=True)
            document.add("series", sections)
        if not isinstance(sections, dict):
            raise ConfigError(f"{CONFIG_NAME}: `series` must be a table of [series.<name>] sections")
        name = series.section or series.slug
        section = sections.get(name)
        if section is None:
            section = tomlkit.table()
            section.add("title", series.title)
            sections.add(name, section)
        if not isinstance(section, dict):
            raise ConfigError(f"{CONFIG_NAME}: [series.{name}] must be a table")
        for key, value in values.items():
            section[key] = value
        return tomlkit.dumps(document).encode("utf-8")
    except TOMLKitError as exc:
        raise ConfigError(f"{CONFIG_NAME}: cannot change it ({exc})") from None


def reload_config(ws: Workspace) -> None:
    """Read blog.toml again after this process changed it."""
    ws.config = load_config(ws.root, ws.cache_dir / "config.json")
