"""Command line: ``flask --app app seed-demo`` creates the demo account and its journeys."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy import select

from app import examples
from app.extensions import db
from app.models import Journey, Membership, User
from app.saving import create

__all__ = ["DEMO_EMAIL", "DEMO_PASSWORD", "seed_demo"]

DEMO_EMAIL = "demo@claimpath.example"
#: Public on purpose: the demo account holds only the examples.
DEMO_PASSWORD = "claimpath-demo"  # noqa: S105 (printed by make run on purpose)


@click.command("seed-demo")
@with_appcontext
def seed_demo() -> None:
    """Create the demo account, load every example journey it lacks, and print the login."""
    user = db.session.scalar(select(User).where(User.email == DEMO_EMAIL))
    if user is None:
        user = User(email=DEMO_EMAIL)
        user.set_password(DEMO_PASSWORD)
        db.session.add(user)
        db.session.commit()
    held = set(
        db.session.scalars(
            select(Journey.title).join(Membership).where(Membership.user_id == user.id)
        )
    )
    added = 0
    for example in examples.examples():
        if example.journey.title not in held:
            create(example.journey, user, f"Loaded the example {example.name}.json")
            added += 1
    folder = current_app.config["EXAMPLES_DIR"]
    click.echo(f"Demo journeys: {added} added from {folder}, {len(held)} already there.")
    click.echo(f"Sign in as {DEMO_EMAIL} with the password {DEMO_PASSWORD}")
