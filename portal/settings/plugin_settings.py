"""Each plugin's own settings, merged into the portal's.

A plugin that needs settings keeps them in its own ``conf`` module (the
plugin's package, ``conf.py``), beside its code, so that the portal's
settings name no plugin and a plugin left out leaves no setting behind. The
module defines one function::

    def plugin_settings(portal: Mapping[str, Any]) -> dict[str, Any]:
        return {"THING_ROOT": Path(env_str("THING_ROOT", ..., doc="..."))}

``portal`` is the portal's settings as base.py has them so far (read
``VAR_DIR``, ``ELASTICSEARCH_URL`` and the like from it). Every deployment
value comes from the environment through ``portal.settings.env``, as in
base.py, so the README's Configuration table lists the plugin's variables
too. The module is imported while settings load: it may import the standard
library and ``portal.settings.env``, nothing that needs Django set up.

Only upper-case names are taken, and only where the portal has not set the
name itself; two plugins setting one name is refused. dev.py, test.py and
production.py run after base.py and adjust plugin settings like any other.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterable, MutableMapping
from typing import Any

from django.core.exceptions import ImproperlyConfigured

#: The module of a plugin's package that holds its settings.
CONF_MODULE = "conf"


def _conf_module(module_path: str):
    name = f"{module_path}.{CONF_MODULE}"
    try:
        return importlib.import_module(name)
    except ModuleNotFoundError as exc:
        if exc.name != name:
            raise
        return None


def plugin_settings(plugins: Iterable, portal: MutableMapping[str, Any]) -> dict:
    """Merge each plugin's settings into ``portal`` (base.py's globals());
    returns what was set, by name, for ``manage.py diffsettings``-like
    inspection and for tests."""
    added: dict[str, Any] = {}
    owner: dict[str, str] = {}
    for plugin in plugins:
        conf = _conf_module(plugin.module)
        if conf is None:
            continue
        values = conf.plugin_settings(portal)
        for name, value in values.items():
            if not name.isupper():
                continue
            if name in owner:
                raise ImproperlyConfigured(
                    f"Plugins {owner[name]!r} and {plugin.name!r} both set the "
                    f"setting {name}."
                )
            owner[name] = plugin.name
            if name not in portal:
                portal[name] = value
                added[name] = value
    return added
