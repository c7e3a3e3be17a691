"""Reader comments: a plain YAML file beside the post they belong to.

`published/<slug>.md` keeps its comments in `published/<slug>.comments.yaml` (the same for drafts/
and pages/): a list of comments, oldest first, one mapping each, diff-friendly and editable by hand.
Importers and `blog comments --pull` write it; every command that moves a post carries it along.

    - id: wp-12                   # unique in the file; a source prefix keeps re-imports idempotent
      parent: wp-9                # the comment this one answers (absent: a top-level comment)
      author: Jo Reader
      author_url: https://jo.example/
      date: 2016-05-03T10:12:00+00:00
      kind: comment               # comment, pingback or trackback
      by_author: true             # written by the blog's author (a reply)
      body: |
        The comment's text, in Markdown.

Commenters' e-mail addresses and IP addresses have no field here and are never written.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from blogcli.errors import BlogError, FileError
from blogcli.model.dates import format_datetime, parse_datetime

SUFFIX = ".comments.yaml"
KINDS = ("comment", "pingback", "trackback")
PINGS = ("pingback", "trackback")  # shown apart from the conversations
_HEADER = "# Reader comments, kept by blogcli: plain YAML, oldest first. E-mail addresses are never stored.\n"


_TRAILING_NUMBER = re.compile(r"(\d+)$")
_NOT_ANCHOR = re.compile(r"[^A-Za-z0-9_-]+")


class CommentsError(FileError):
    code = "bad-comments"


@dataclass
class Comment:
    id: str
    author: str
    date: dt.datetime | None
    body: str
    parent: str | None = None
    author_url: str | None = None
    kind: str = "comment"
    by_author: bool = False

    def as_dict(self) -> dict:
        return {
            "id": self.id,
            "parent": self.parent,
            "author": self.author,
            "author_url": self.author_url,
            "date": self.date.isoformat() if self.date else None,
            "kind": self.kind,
            "by_author": self.by_author,
            "body": self.body,
        }


def comments_rel(post_rel: str) -> str:
    """Where a post's comments live: `published/x.md` → `published/x.comments.yaml`."""
    return post_rel[: -len(".md")] + SUFFIX if post_rel.endswith(".md") else post_rel + SUFFIX


def is_comments_file(name: str) -> bool:
    return name.endswith(SUFFIX)


def parse_comments(data: bytes, rel: str, tz: dt.tzinfo) -> list[Comment]:
    """The comments of one file, in file order; CommentsError (naming file and line) when it
    is not a list of comments with an id, an author and a body."""
    import yaml

    from blogcli.model.document import header_loader

    try:
        loaded = yaml.load(data.decode("utf-8"), Loader=header_loader())
    except UnicodeDecodeError:
        raise CommentsError("not UTF-8 text", path=rel) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise CommentsError(f"not valid YAML: {getattr(exc, 'problem', exc)}", path=rel, line=mark.line + 1 if mark else None) from None
    if loaded is None:
        return []
    if not isinstance(loaded, list):
        raise CommentsError("expected a list of comments", path=rel, line=1)
    comments = []
    seen: set[str] = set()
    for number, item in enumerate(loaded, start=1):
        where = f"comment {number}"
        if not isinstance(item, dict):
            raise CommentsError(f"{where}: expected a mapping with id, author, date and body", path=rel)
        missing = [key for key in ("id", "author", "body") if item.get(key) in (None, "")]
        if missing:
            raise CommentsError(f"{where}: missing {', '.join(missing)}", path=rel)
        kind = str(item.get("kind") or "comment")
        if kind not in KINDS:
            raise CommentsError(f"{where}: kind {kind!r} is not one of {', '.join(KINDS)}", path=rel)
        date = None
        if item.get("date") is not None:
            try:
                date = parse_datetime(item["date"], tz)
            except BlogError as exc:
                raise CommentsError(f"{where}: {exc.message}", path=rel) from None
        comment = Comment(
            id=str(item["id"]),
            author=str(item["author"]),
            date=date,
            body=str(item["body"]),
            parent=str(item["parent"]) if item.get("parent") not in (None, "") else None,
            author_url=str(item["author_url"]) if item.get("author_url") else None,
            kind=kind,
            by_author=item.get("by_author") is True,
        )
        if comment.id in seen:
            raise CommentsError(f"{where}: id {comment.id!r} is used twice", path=rel)
        seen.add(comment.id)
        comments.append(comment)
    return comments


def dump_comments(comments: list[Comment], tz: dt.tzinfo) -> bytes:
    """The file's bytes: oldest first, keys in a fixed order, bodies as literal blocks."""
    import yaml

    class Dumper(getattr(yaml, "CSafeDumper", yaml.SafeDumper)):  # libyaml's emitter: ~6x faster (an import of thousands)
        pass

    def text(dumper, value: str):
        style = "|" if "\n" in value else None
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)

    Dumper.add_representer(str, text)
    entries = []
    for comment in sort_comments(comments):
        entry: dict[str, object] = {"id": comment.id}
        if comment.parent:
            entry["parent"] = comment.parent
        entry["author"] = comment.author
        if comment.author_url:
            entry["author_url"] = comment.author_url
        if comment.date is not None:
            entry["date"] = format_datetime(comment.date, tz)
        entry["kind"] = comment.kind
        if comment.by_author:
            entry["by_author"] = True
        entry["body"] = comment.body if comment.body.endswith("\n") or "\n" not in comment.body else comment.body + "\n"
        entries.append(entry)
    dumped = yaml.dump(entries, Dumper=Dumper, sort_keys=False, allow_unicode=True, width=100, default_flow_style=False)
    return (_HEADER + dumped).encode("utf-8")


def sort_comments(comments: list[Comment]) -> list[Comment]:
    """Oldest first; undated comments keep their place after the dated ones."""
    epoch = dt.datetime.min.replace(tzinfo=dt.timezone.utc)
    return sorted(comments, key=lambda c: (c.date is None, c.date or epoch))


def merge_comments(existing: list[Comment], incoming: list[Comment]) -> tuple[list[Comment], int]:
    """`existing` plus the comments of `incoming` whose id it lacks (a local edit is never
    overwritten), and how many were added."""
    known = {c.id for c in existing}
    added = [c for c in incoming if c.id not in known]
    return sort_comments(existing + added), len(added)


def comment_anchor(comment: Comment) -> str:
    """The id of a comment on its post's page: `comment-12` for `wp-12` (WordPress's own anchor,
    so old links still land), else `comment-` and the id's letters, digits, `-` and `_`."""
    number = _TRAILING_NUMBER.search(comment.id)
    return f"comment-{number.group(1)}" if number else "comment-" + _NOT_ANCHOR.sub("-", comment.id).strip("-")


def threaded(comments: list[Comment]) -> list[tuple[Comment, int]]:
    """Conversations in reading order: each comment followed by its replies, oldest first; a
    reply whose parent is not in the file stands as a conversation of its own."""
    ids = {c.id for c in comments}
    children: dict[str | None, list[Comment]] = {}
    for comment in comments:  # the file is oldest first already
        parent = comment.parent if comment.parent in ids and comment.parent != comment.id else None
        children.setdefault(parent, []).append(comment)
    ordered: list[tuple[Comment, int]] = []
    seen: set[str] = set()
    stack = [(comment, 0) for comment in reversed(children.get(None, []))]  # no recursion: any depth
    while stack:
        comment, depth = stack.pop()
        if comment.id in seen:  # a loop of parents: shown once
            continue
        seen.add(comment.id)
        ordered.append((comment, depth))
        stack.extend((reply, depth + 1) for reply in reversed(children.get(comment.id, [])))
    ordered += [(c, 0) for c in comments if c.id not in seen]
    return ordered
