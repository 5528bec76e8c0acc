"""The plugin registry.

Feature apps (casework, publishing, search, and any third-party module) are
Python distributions that declare an entry point in the ``portal.plugins``
group. Settings call :func:`discover` to put them into ``INSTALLED_APPS``, so
installing a package is all it takes to add a module to the portal; the portal
itself imports none of them.

Writing a plugin: read ``portal/hooks.py`` first. It lists every hook a
plugin may register, with what a registered function receives and returns
and who reads it; a plugin adds to the portal only through those hooks and
Wagtail's own. Its ``apps`` module holds a :class:`PortalPluginConfig`
subclass whose inner ``PortalPluginMeta`` gives ``description``, ``order``
and ``requires`` (the entry-point names of the plugins it imports or points
a foreign key at); :func:`discover` refuses a set of plugins that leaves a
requirement out. ``manage.py plugins`` shows what each installed plugin
registers, ``manage.py plugins --contract`` the hooks themselves.

This module is imported while settings load, before Django is set up: it may
import ``django.apps``, ``django.core.exceptions`` and ``portal.hooks`` (plain
data) but nothing that needs the app registry.
"""

from __future__ import annotations

import importlib
import importlib.metadata
from dataclasses import dataclass, field

from django.apps import AppConfig
from django.core.exceptions import ImproperlyConfigured

from portal import hooks as portal_hooks

ENTRY_POINT_GROUP = "portal.plugins"


class PluginLoadError(ImproperlyConfigured):
    """A plugin declared through the entry-point group could not be loaded."""


@dataclass(frozen=True)
class PluginSpec:
    name: str
    module: str
    distribution: str
    version: str
    order: int = 100
    # Entry-point names of the plugins this one needs installed too.
    requires: tuple[str, ...] = ()


@dataclass
class Contributions:
    page_types: list[str] = field(default_factory=list)
    admin_viewsets: list[str] = field(default_factory=list)
    admin_menu_items: list[str] = field(default_factory=list)
    # The paths of the patterns the plugin's register_public_urls functions
    # return, e.g. "/report/".
    public_urls: list[str] = field(default_factory=list)
    # For every hook of portal.hooks.HOOKS, the functions the plugin
    # registers on it ("module.function"), in the order the portal runs them.
    hooks: dict[str, list[str]] = field(default_factory=dict)

    @property
    def demo_content(self) -> list[str]:
        return [_short(path) for path in self.hooks.get(portal_hooks.DEMO_CONTENT, [])]

    @property
    def home_sections(self) -> list[str]:
        return [_short(path) for path in self.hooks.get(portal_hooks.HOME_SECTION, [])]

    def as_dict(self) -> dict:
        return {
            "page_types": self.page_types,
            "admin_viewsets": self.admin_viewsets,
            "admin_menu_items": self.admin_menu_items,
            "public_urls": self.public_urls,
            "hooks": self.hooks,
        }


def _short(dotted: str) -> str:
    return dotted.rsplit(".", 1)[-1]


def function_path(fn) -> str:
    """``module.function`` of a registered hook function (of the wrapped
    function for a ``functools.partial``)."""
    target = getattr(fn, "func", fn)
    module = getattr(target, "__module__", None) or "?"
    name = getattr(target, "__qualname__", None) or type(target).__name__
    return f"{module}.{name}"


class PortalPluginConfig(AppConfig):
    """Base AppConfig of every portal plugin.

    Subclasses set ``label`` explicitly and describe themselves in an inner
    ``PortalPluginMeta`` class (``description``, ``order``, ``requires``).
    """

    default_auto_field = "django.db.models.BigAutoField"
    # Django picks an app's default AppConfig among the AppConfig classes
    # visible in its apps module; this base class is imported there too, so
    # it opts out and each concrete subclass opts back in.
    default = False

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        if "default" not in cls.__dict__:
            cls.default = True

    class PortalPluginMeta:
        description = ""
        order = 100
        # Entry-point names of the plugins this one imports or points a
        # foreign key at; discover() refuses to start without them.
        requires: tuple[str, ...] = ()

    @property
    def plugin_meta(self):
        return self.PortalPluginMeta

    @property
    def requires(self) -> tuple[str, ...]:
        return _requires_of(self.PortalPluginMeta)

    def _own_hooks(self, hook_name: str):
        from wagtail import hooks

        prefix = f"{self.name}."
        return [
            fn
            for fn in hooks.get_hooks(hook_name)
            if function_path(fn).startswith(prefix)
        ]

    def contributions(self) -> Contributions:
        """What this plugin adds to the portal, read from the registries
        themselves (models, Wagtail hooks) rather than declared by hand."""
        from wagtail.models import Page

        found = Contributions()
        found.page_types = sorted(
            f"{model._meta.label} ({model._meta.verbose_name})"
            for model in self.get_models()
            if issubclass(model, Page)
        )
        for fn in self._own_hooks("register_admin_viewset"):
            viewsets = fn()
            if not isinstance(viewsets, list | tuple):
                viewsets = [viewsets]
            for viewset in viewsets:
                # A ViewSetGroup contributes its members under one menu.
                members = getattr(viewset, "registerables", None) or [viewset]
                for member in members:
                    name = getattr(member, "name", type(member).__name__)
                    label = getattr(member, "menu_label", "") or name
                    found.admin_viewsets.append(f"{name} ({label})")
        for fn in self._own_hooks("register_admin_menu_item"):
            item = fn()
            found.admin_menu_items.append(str(item.label))
        for spec in portal_hooks.HOOKS:
            registered = [function_path(fn) for fn in self._own_hooks(spec.name)]
            if registered:
                found.hooks[spec.name] = registered
        for fn in self._own_hooks(portal_hooks.PUBLIC_URLS):
            for pattern in fn():
                found.public_urls.append("/" + str(pattern.pattern))
        return found


def _requires_of(meta) -> tuple[str, ...]:
    requires = getattr(meta, "requires", ())
    if isinstance(requires, str):  # ("casework") instead of ("casework",)
        requires = (requires,)
    return tuple(requires)


def _distribution_of(entry_point) -> tuple[str, str]:
    dist = getattr(entry_point, "dist", None)
    if dist is None:
        return ("?", "?")
    return (dist.metadata["Name"], dist.version)


def discover(exclude: list[str] | tuple[str, ...] = ()) -> list[PluginSpec]:
    """Find, import and order the installed plugins.

    Order is stable: by the plugin's declared ``order``, then by name, so
    INSTALLED_APPS (and with it template and migration resolution) does not
    depend on the order in which distributions happen to be installed.

    A plugin whose ``requires`` names a plugin that is not installed, or that
    ``exclude`` leaves out, stops start-up with one line naming both.
    """
    seen: dict[str, PluginSpec] = {}
    excluded: set[str] = set()
    for ep in importlib.metadata.entry_points(group=ENTRY_POINT_GROUP):
        if ep.name in exclude:
            excluded.add(ep.name)
            continue
        dist_name, version = _distribution_of(ep)
        if ep.name in seen:
            other = seen[ep.name]
            if other.module == ep.value:
                # The same distribution seen twice on sys.path (e.g. an
                # editable install plus a build directory): harmless.
                continue
            raise PluginLoadError(
                f"Plugin name {ep.name!r} is declared twice: by "
                f"{other.distribution} ({other.module}) and by {dist_name} "
                f"({ep.value})."
            )
        order, requires = _import_plugin(ep.name, ep.value, dist_name)
        seen[ep.name] = PluginSpec(
            ep.name, ep.value, dist_name, version, order, requires
        )
    _check_requirements(seen.values(), excluded)
    return sorted(seen.values(), key=lambda spec: (spec.order, spec.name))


def _names(names: list[str]) -> str:
    quoted = [repr(name) for name in sorted(names)]
    if len(quoted) == 1:
        return quoted[0]
    return ", ".join(quoted[:-1]) + " and " + quoted[-1]


def _check_requirements(specs, excluded: set[str]) -> None:
    """Refuse a set of plugins that leaves out one that another requires:
    one line, naming each missing plugin and every plugin that requires it."""
    present = {spec.name for spec in specs}
    dependents: dict[str, list[str]] = {}
    for spec in specs:
        for required in spec.requires:
            if required not in present:
                dependents.setdefault(required, []).append(spec.name)
    if not dependents:
        return
    problems = []
    for missing, needing in sorted(dependents.items()):
        if len(needing) == 1:
            problems.append(
                f"Portal plugin {needing[0]!r} requires {missing!r}, which is "
                f"not installed or is excluded by PORTAL_PLUGINS_EXCLUDE."
            )
        elif missing in excluded:
            problems.append(
                f"Excluding {missing!r} leaves {_names(needing)} without a "
                f"plugin they require: exclude them too, or stop excluding "
                f"{missing!r}."
            )
        else:
            problems.append(
                f"Portal plugins {_names(needing)} require {missing!r}, which "
                f"is not installed: install it, or exclude them with "
                f"PORTAL_PLUGINS_EXCLUDE."
            )
    raise PluginLoadError(" ".join(problems))


def _import_plugin(
    name: str, module_path: str, dist_name: str
) -> tuple[int, tuple[str, ...]]:
    """Import the plugin's package and its apps module; return its order and
    its requirements, read from its ``PortalPluginMeta``.

    A broken plugin stops start-up with one line naming the plugin, its
    distribution and the cause, instead of a traceback from deep inside
    Django's app loading.
    """
    try:
        importlib.import_module(module_path)
        try:
            apps_module = importlib.import_module(f"{module_path}.apps")
        except ModuleNotFoundError as exc:
            if exc.name != f"{module_path}.apps":
                raise
            return 100, ()
    except Exception as exc:
        raise PluginLoadError(
            f"Portal plugin {name!r} (module {module_path!r}, distribution "
            f"{dist_name!r}) failed to import: {type(exc).__name__}: {exc}. "
            f"Fix or uninstall it, or exclude it with "
            f"PORTAL_PLUGINS_EXCLUDE={name}."
        ) from exc
    for value in vars(apps_module).values():
        if (
            isinstance(value, type)
            and issubclass(value, PortalPluginConfig)
            and value is not PortalPluginConfig
            and value.__module__ == apps_module.__name__
        ):
            meta = value.PortalPluginMeta
            return int(getattr(meta, "order", 100)), _requires_of(meta)
    raise PluginLoadError(
        f"Portal plugin {name!r} (module {module_path!r}, distribution "
        f"{dist_name!r}) has no PortalPluginConfig subclass in {module_path}.apps."
    )


def installed_plugin_configs() -> list[PortalPluginConfig]:
    """The plugin AppConfigs Django loaded, in INSTALLED_APPS order."""
    from django.apps import apps

    return [
        config
        for config in apps.get_app_configs()
        if isinstance(config, PortalPluginConfig)
    ]
