"""The verbs of blogcli as plain functions: no printing, no exiting, no Typer."""
