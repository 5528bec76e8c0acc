"""Reading deployment values from the environment.

Every variable a settings module reads goes through these helpers, so the set
of variables the portal understands is known in one place (``DECLARED``). The
docker compose file is tested against it: a variable the compose file sets
that the settings never read is a typo waiting to bite in production.
"""

import os

from django.core.exceptions import ImproperlyConfigured

# name -> one-line description, filled as settings modules import.
DECLARED: dict[str, str] = {}

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def _declare(name: str, doc: str) -> str | None:
    DECLARED[name] = doc
    return os.environ.get(name)


def env_str(name: str, default: str | None = None, *, doc: str = "") -> str | None:
    value = _declare(name, doc)
    return default if value is None else value


def env_required(name: str, *, doc: str = "") -> str:
    value = _declare(name, doc)
    if not value:
        raise ImproperlyConfigured(f"The environment variable {name} must be set.")
    return value


def env_bool(name: str, default: bool = False, *, doc: str = "") -> bool:
    value = _declare(name, doc)
    if value is None:
        return default
    lowered = value.strip().lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name}={value!r} is not a boolean (use true/false).")


def env_int(name: str, default: int, *, doc: str = "") -> int:
    value = _declare(name, doc)
    if value is None or value == "":
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={value!r} is not an integer.") from None


def env_list(name: str, default: list[str], *, doc: str = "") -> list[str]:
    value = _declare(name, doc)
    if value is None:
        return list(default)
    return [item.strip() for item in value.split(",") if item.strip()]
