"""Flask extensions, created once and bound to the app in create_app()."""

from flask_babel import Babel
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect
from sqlalchemy import MetaData, event
from sqlalchemy.orm import DeclarativeBase

# Stable constraint names so Alembic migrations can drop and alter them by name.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


db = SQLAlchemy(model_class=Base)
migrate = Migrate()
login_manager = LoginManager()
babel = Babel()
csrf = CSRFProtect()
limiter = Limiter(key_func=get_remote_address, default_limits=[])


# ---- SQLite: case folding beyond ASCII -------------------------------------------------------


def _lower(value):
    return value.lower() if isinstance(value, str) else value


def _upper(value):
    return value.upper() if isinstance(value, str) else value


def _unicode_case_functions(dbapi_connection, connection_record) -> None:
    """SQLite's own lower() and upper() change ASCII letters only; these replace them on every
    connection with Python's, which know Cyrillic and Kazakh (Ә → ә, Қ → қ, Ұ → ұ)."""
    dbapi_connection.create_function("lower", 1, _lower, deterministic=True)
    dbapi_connection.create_function("upper", 1, _upper, deterministic=True)


def init_database(app) -> None:
    """Per-connection set-up of the app's engines (created by db.init_app)."""
    with app.app_context():
        for engine in db.engines.values():
            if engine.dialect.name == "sqlite":
                event.listen(engine, "connect", _unicode_case_functions)
