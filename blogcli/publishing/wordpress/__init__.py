"""WordPress as a publishing target, over its REST API (wp/v2) with httpx.

- `target`: blog.toml's `[publish.wordpress]` and the credentials (environment or a command, never
  the file).
- `client`: REST calls, discovery of the API root, authentication, and every failure turned into
  one BlogError with a hint.
- `content`: a post as WordPress gets it: the body's HTML (the site's Markdown engine), the
  series box, the marker that finds a post again, digests.
- `series`: the one function through which the series rules reach the box.
- `sync`: the use cases: publish, unpublish, status, the difference with WordPress.
- `comments`: approved comments pulled into the post's comments file.

httpx is imported inside `client` only, so commands that do not publish never load it.
"""
