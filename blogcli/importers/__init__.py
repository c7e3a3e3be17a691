"""Readers of other blogs' sources (a WordPress export, a Jekyll or Hugo site): each turns its
source into `Item`s (converted posts and pages, with their comments and media) and knows nothing
of the workspace; `blogcli.ops.importing` places them, compares them with what is already there
and writes them in one transaction.

Every reader works in two phases, so nothing is converted (let alone written) before the whole
source has been read and checked: `scan()` reads every entry's metadata and refuses a broken
source with one error; `convert()` then yields the converted items one at a time, knowing where
every other item will land (for links between them).
"""
