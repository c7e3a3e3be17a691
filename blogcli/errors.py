"""The one exception family the core raises; the CLI turns it into `error: …` and exit 1."""

from __future__ import annotations


class BlogError(Exception):
    """An expected failure with a message for the author and an optional hint."""

    code = "error"

    def __init__(self, message: str, *, hint: str | None = None, candidates: list[str] | None = None):
        super().__init__(message)
        self.message = message
        self.hint = hint
        self.candidates = candidates or []

    def as_dict(self) -> dict:
        data = {"code": self.code, "message": self.message}
        if self.hint:
            data["hint"] = self.hint
        if self.candidates:
            data["candidates"] = self.candidates
        return data


class WorkspaceNotFound(BlogError):
    code = "no-workspace"


class ConfigError(BlogError):
    code = "bad-config"


class NotFound(BlogError):
    code = "not-found"


class Ambiguous(BlogError):
    code = "ambiguous"


class AlreadyExists(BlogError):
    code = "exists"


class FileError(BlogError):
    """A problem inside one file; `path` and `line` say where, `detail` says what."""

    def __init__(self, message: str, *, path: str | None = None, line: int | None = None, hint: str | None = None):
        where = path or ""
        if path and line:
            where = f"{path}:{line}"
        super().__init__(f"{where}: {message}" if where else message, hint=hint)
        self.path = path
        self.line = line
        self.detail = message


class FrontMatterError(FileError):
    code = "front-matter"


class UnreadableFile(FileError):
    code = "unreadable"


class LockedError(BlogError):
    code = "locked"


class EditorError(BlogError):
    code = "editor"


class UnsafePath(BlogError):
    code = "unsafe-path"


class WriteFailed(BlogError):
    code = "write-failed"


class InvalidValue(BlogError):
    code = "invalid"


class CheckFailed(BlogError):
    code = "check-failed"


class RemoteError(BlogError):
    """A publishing target (WordPress) refused or failed a request."""

    code = "remote"
    remote_code: str | None = None  # the target's own error code (WordPress: `term_exists`…)
    remote_data: dict | None = None  # and its data (WordPress: `{"status": 400, "term_id": 5}`)
    remote_message: str = ""  # and its message, as it gave it


class RemoteAuthError(RemoteError):
    code = "remote-auth"


class RemoteUnreachable(RemoteError):
    code = "remote-unreachable"


class RemoteChanged(RemoteError):
    """The post was edited on the remote site since blogcli last published it there."""

    code = "remote-changed"
