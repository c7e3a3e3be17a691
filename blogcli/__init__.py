"""blogcli: write a blog series from the terminal."""

__version__ = "0.1.0"
