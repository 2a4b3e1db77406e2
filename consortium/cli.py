"""flask commands. They call the same services as the web pages."""
import click
from flask import current_app

from .auth.schemas import UserFields
from .auth.services import SessionLifetime, create_api_token, create_user, get_user_by_email, prune_sessions
from .core.backup import RestoreError, backup, read_header, restore, restored
from .core.entity import Choice, Flag, described
from .core.exceptions import DomainError
from .extensions import db
from .geo.services import load_reference_data
from .members.services import get_member_by_code
from .portal import demo


def defined_options(definition, skip=()):
    """A click option ``--field-name`` for each field of an entity's definition (a vocabulary's
    codes as choices), so a field added to the definition reaches the command; an option left out
    is not passed on (``given``), and the service applies its own default."""
    def decorate(command):
        for name, field in reversed(described(definition).items()):
            if name in skip:
                continue
            kind = (click.Choice(list(field.vocabulary)) if isinstance(field, Choice)
                    else click.BOOL if isinstance(field, Flag) else click.STRING)
            command = click.option(f"--{name.replace('_', '-')}", name, type=kind, default=None,
                                   help=f"{field.label}")(command)
        return command
    return decorate


def given(options: dict) -> dict:
    return {name: value for name, value in options.items() if value is not None}


def register(app):
    @app.cli.command("load-reference-data")
    def load_reference_data_cmd():
        """Load provinces and cities (idempotent)."""
        added = load_reference_data()
        db.session.commit()
        click.echo(f"reference data: {added} rows added")

    @app.cli.command("seed-demo")
    @click.option("--if-empty", is_flag=True, help="Do nothing when members already exist.")
    def seed_demo_cmd(if_empty):
        """Load the demo data (refused in production)."""
        if not current_app.config["DEMO_ALLOWED"]:
            raise click.ClickException("seed-demo refuses to run in production configuration")
        if if_empty and not demo.is_empty():
            click.echo("demo data: database not empty, nothing done")
            return
        created = demo.seed_demo(current_app.config["DEMO_PASSWORD"])
        db.session.commit()
        click.echo("demo data created: " + ", ".join(f"{v} {k}" for k, v in created.items()))
        click.echo("home page shows: " + demo.home_figures_line())

    @app.cli.command("backup")
    @click.argument("path", type=click.Path(dir_okay=False, writable=True))
    def backup_cmd(path):
        """Write every table to PATH (gzip'd JSON lines, with per-table counts and checksums)."""
        header = backup(path)
        db.session.rollback()
        total = sum(t["rows"] for t in header["tables"].values())
        click.echo(f"backup: {len(header['tables'])} tables, {total} rows -> {path}")

    @app.cli.command("restore")
    @click.argument("path", type=click.Path(exists=True, dir_okay=False))
    @click.option("--yes", is_flag=True, help="Replace the database's rows without asking.")
    def restore_cmd(path, yes):
        """Replace every row with those of a backup (same schema revision); verified before commit."""
        header = read_header(path)
        if not yes:
            click.confirm(f"Replace ALL rows of {db.engine.url.render_as_string(hide_password=True)} "
                          f"with the backup of {header['created_at']}?", abort=True)
        try:
            header = restore(path)
        except RestoreError as e:
            db.session.rollback()
            raise click.ClickException(str(e)) from None
        db.session.commit()
        restored.send(current_app._get_current_object())  # domains drop what they keep in memory
        total = sum(t["rows"] for t in header["tables"].values())
        click.echo(f"restore: {len(header['tables'])} tables, {total} rows, counts and checksums verified")
        for note in header["carried_over"]:
            click.echo(f"restore: {note}")

    @app.cli.command("create-user")
    @click.argument("email")
    @click.option("--member", "member_code", help="Member code (for member users).")
    @defined_options(UserFields, skip=("email",))
    @click.password_option()
    def create_user_cmd(email, member_code, password, **fields):
        """Create an account (a member user unless --role says otherwise); prompts for the password."""
        member = get_member_by_code(member_code) if member_code else None
        if member_code and member is None:
            raise click.ClickException(f"no member with code {member_code}")
        try:
            user = create_user(None, email=email, password=password, member=member, **given(fields),
                               min_length=current_app.config["PASSWORD_MIN_LENGTH"])
        except DomainError as e:
            raise click.ClickException(e.message) from None
        db.session.commit()
        click.echo(f"created {user.email} ({user.role})")

    @app.cli.command("create-token")
    @click.argument("email")
    @click.option("--name", default="cli")
    @click.option("--expires", "expires_on", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
                  help="Expiry date (YYYY-MM-DD); the token stops working at the start of that day (Beijing time). "
                       "Default: API_TOKEN_DEFAULT_DAYS (90) days from today; at most API_TOKEN_MAX_DAYS (366).")
    def create_token_cmd(email, name, expires_on):
        """Create an API token for a user and print it once."""
        user = get_user_by_email(email)
        if user is None:
            raise click.ClickException(f"no user {email}")
        try:
            _token, raw = create_api_token(None, user, name, expires_on.date() if expires_on else None,
                                           current_app.config["API_TOKEN_MAX_DAYS"],
                                           current_app.config["API_TOKEN_DEFAULT_DAYS"])
        except DomainError as e:
            raise click.ClickException(e.message) from None
        db.session.commit()
        click.echo(raw)

    @app.cli.command("prune-sessions")
    def prune_sessions_cmd():
        """Delete expired sign-in sessions (also done at every sign-in)."""
        removed = prune_sessions(SessionLifetime.from_config(current_app.config))
        db.session.commit()
        click.echo(f"sessions: {removed} expired rows deleted")
