"""The Typer layer: parse options, call `blogcli.ops`, print. No domain logic lives here."""
