"""Command-line tasks: `flask --app wsgi users create-admin EMAIL`, `flask --app wsgi demo load`."""

import secrets

import click
from flask import Flask
from flask.cli import AppGroup

from forumapp.accounts.models import User
from forumapp.accounts.services import AccountError, create_user
from forumapp.extensions import db

DEMO_ADMIN = "admin@demo.forumapp.kz"


def ensure_demo_admin() -> str | None:
    """On a database with no accounts, create an administrator with a random password."""
    if db.session.scalar(db.select(User.id).limit(1)) is not None:
        return None
    password = secrets.token_urlsafe(12)
    create_user(DEMO_ADMIN, password, name="Demo administrator", is_admin=True)
    return password


def register_cli(app: Flask) -> None:
    users = AppGroup("users", help="Organiser accounts.")

    @users.command("create-admin")
    @click.argument("email")
    @click.option("--password", prompt=True, hide_input=True, confirmation_prompt=True)
    @click.option("--name", default="")
    def create_admin(email: str, password: str, name: str):
        """Create a site administrator account."""
        try:
            user = create_user(email, password, name=name, is_admin=True)
        except AccountError as exc:
            raise click.ClickException(str(exc)) from exc
        click.echo(f"Created administrator {user.email}")

    demo = AppGroup("demo", help="The demo forum built from the source articles.")

    @demo.command("load")
    def load():
        """Create or refresh the demo forum (safe to run again)."""
        from forumapp.demo.loader import load_demo

        event = load_demo()
        click.echo(f"Demo forum ready: /e/{event.slug}/")
        password = ensure_demo_admin()
        if password:
            click.echo(f"Sign in at /login as {DEMO_ADMIN} with the password {password} (shown only once).")

    app.cli.add_command(users)
    app.cli.add_command(demo)

    from forumapp.storage.cli import storage

    app.cli.add_command(storage)
