"""Help screens in plain Click formatting (no Rich: `blog --help` stays within the start-up budget
of tests/test_startup.py), made to teach: placeholders are words (`REF`, `--series SERIES`),
`blog --help` lists the commands by group with their whole one-line summary, and a command's
docstring ends in an `Examples:` block (after a `\\b` line, so Click keeps its lines; or its
`epilog=` holds one), shown as written after the options.
"""

from __future__ import annotations

from typing import Any

from typer.core import TyperCommand, TyperGroup

OTHER_GROUP = "Other commands"
EXAMPLES = "Examples:"


class ExamplesLast:
    """Moves a docstring's `Examples:` block after the options, its lines as written."""

    examples: list[str] = []

    def _split_examples(self) -> None:
        """From the end of the docstring, or from an `epilog=` holding them."""
        self.examples = []
        for attribute in ("help", "epilog"):
            text = getattr(self, attribute) or ""
            at = text.find(EXAMPLES)
            if at >= 0:
                setattr(self, attribute, text[:at].rstrip().removesuffix("\b").rstrip() or None)
                self.examples = [line.strip() for line in text[at + len(EXAMPLES):].strip("\n").splitlines() if line.strip()]
                return

    def format_epilog(self, ctx: Any, formatter: Any) -> None:
        if self.examples:
            formatter.write_paragraph()
            formatter.write_text(EXAMPLES)
            with formatter.indentation():
                for line in self.examples:
                    formatter.write(f"{'':>{formatter.current_indent}}{line}\n")
        super().format_epilog(ctx, formatter)


def placeholder(param: Any) -> str:
    """The word a parameter shows in help and usage: its metavar, else its name in capitals."""
    return param.metavar or (param.name or "value").upper()


def summary(command: Any) -> str:
    """A command's one-line summary: its `short_help`, else its docstring's first sentence, whole."""
    if command.short_help:
        return command.short_help
    first = (command.help or "").split("\n\n", 1)[0]
    words = first.replace("\b", " ").split()
    for i, word in enumerate(words):
        if word.endswith("."):
            return " ".join(words[: i + 1])
    return " ".join(words)


class BlogCommand(ExamplesLast, TyperCommand):
    """A command whose help names values by words, not Python types, and ends with examples."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._split_examples()
        for param in self.params:
            if param.param_type_name == "option" and not param.is_flag and not param.count and param.metavar is None:
                param.metavar = placeholder(param)

    def collect_usage_pieces(self, ctx: Any) -> list[str]:
        pieces = [self.options_metavar] if self.options_metavar else []
        for param in self.get_params(ctx):
            if param.param_type_name != "argument":
                pieces.extend(param.get_usage_pieces(ctx))
                continue
            word = placeholder(param) + ("..." if param.nargs != 1 else "")
            pieces.append(word if param.required else f"[{word}]")
        return pieces

    def format_options(self, ctx: Any, formatter: Any) -> None:
        arguments = [(placeholder(p), p.help or "") for p in self.get_params(ctx) if p.param_type_name == "argument" and not p.hidden]
        options = [p.get_help_record(ctx) for p in self.get_params(ctx) if p.param_type_name == "option"]
        if arguments:
            with formatter.section("Arguments"):
                formatter.write_dl(arguments)
        options = [record for record in options if record is not None]
        if options:
            with formatter.section("Options"):
                formatter.write_dl(options)


class BlogGroup(ExamplesLast, TyperGroup):
    """A command group whose help lists its commands under headings (`sections`: (heading,
    command names) pairs; a command in none of them is listed under "Other commands")."""

    sections: tuple[tuple[str, tuple[str, ...]], ...] = ()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._split_examples()

    def format_commands(self, ctx: Any, formatter: Any) -> None:
        commands = {}
        for name in self.list_commands(ctx):
            command = self.get_command(ctx, name)
            if command is not None and not command.hidden:
                commands[name] = command
        listed: set[str] = set()
        groups = []
        for heading, names in self.sections:
            rows = [(name, summary(commands[name])) for name in names if name in commands]
            listed.update(names)
            if rows:
                groups.append((heading, rows))
        rest = [(name, summary(command)) for name, command in commands.items() if name not in listed]
        if rest:
            groups.append((OTHER_GROUP if groups else "Commands", rest))
        width = max((len(name) for _, rows in groups for name, _ in rows), default=0)
        for heading, rows in groups:
            with formatter.section(heading):
                formatter.write_dl([(name.ljust(width), text) for name, text in rows])
