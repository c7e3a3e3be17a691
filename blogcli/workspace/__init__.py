"""The workspace: finding it, its config, and every safe way to change its files."""

from blogcli.workspace.store import Workspace

__all__ = ["Workspace"]
