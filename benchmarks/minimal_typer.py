"""The startup floor blogcli is held to: a one-command Typer app, run by benchmarks/run.py."""

import typer

app = typer.Typer()


@app.command()
def hello(name: str = "world") -> None:
    """Say hello."""
    typer.echo(f"hello {name}")


if __name__ == "__main__":
    app()
