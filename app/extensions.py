"""The Flask extensions, created unbound here and initialised by the factory."""

from __future__ import annotations

from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf.csrf import CSRFProtect
from sqlalchemy import MetaData
from sqlalchemy.orm import DeclarativeBase

__all__ = ["Base", "csrf", "db", "limiter", "login_manager", "migrate"]


class Base(DeclarativeBase):
    """The declarative base every model derives from."""

    # Named constraints let later migrations alter them, on SQLite as on PostgreSQL.
    metadata = MetaData(
        naming_convention={
            "ix": "ix_%(column_0_label)s",
            "uq": "uq_%(table_name)s_%(column_0_N_name)s",
            "ck": "ck_%(table_name)s_%(constraint_name)s",
            "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
            "pk": "pk_%(table_name)s",
        }
    )


db = SQLAlchemy(model_class=Base)
# Batch mode lets later migrations alter tables on SQLite as on PostgreSQL.
migrate = Migrate(render_as_batch=True, compare_type=True)
csrf = CSRFProtect()
login_manager = LoginManager()
login_manager.login_view = "auth.signin"
login_manager.login_message = "Sign in to see your journeys."
login_manager.login_message_category = "info"
# Limits are declared per route with ``@limiter.limit(...)``; where the counters
# live is the RATELIMIT_STORAGE_URI setting (app/config.py).
limiter = Limiter(key_func=get_remote_address)
