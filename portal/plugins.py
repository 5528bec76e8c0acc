"""The plugin registry.

Feature apps (casework, publishing, search, and any third-party module) are
Python distributions that declare an entry point in the ``portal.plugins``
group. Settings call :func:`discover` to put them into ``INSTALLED_APPS``, so
installing a package is all it takes to add a module to the portal; the portal
itself imports none of them.

This module is imported while settings load, before Django is set up: it may
import ``django.apps`` and ``django.core.exceptions`` but nothing that needs the
app registry.
"""

from __future__ import annotations

import importlib
import importlib.metadata
from dataclasses import dataclass, field

from django.apps import AppConfig
from django.core.exceptions import ImproperlyConfigured

ENTRY_POINT_GROUP = "portal.plugins"

# Custom Wagtail hook through which a plugin adds public URL patterns; the
# portal's urls.py mounts them before Wagtail's catch-all page route.
PUBLIC_URLS_HOOK = "register_public_urls"
# Custom Wagtail hook through which a plugin adds demo content to load_demo.
DEMO_CONTENT_HOOK = "register_demo_content"
# Custom Wagtail hook through which a plugin adds a section to the home page.
HOME_SECTIONS_HOOK = "register_home_section"
# Custom Wagtail hook through which a plugin adds a link that is not a page
# (e.g. the reporting channel) to the site's main navigation.
MAIN_MENU_HOOK = "register_main_menu_link"


class PluginLoadError(ImproperlyConfigured):
    """A plugin declared through the entry-point group could not be loaded."""


@dataclass(frozen=True)
class PluginSpec:
    name: str
    module: str
    distribution: str
    version: str
    order: int = 100


@dataclass
class Contributions:
    page_types: list[str] = field(default_factory=list)
    admin_viewsets: list[str] = field(default_factory=list)
    admin_menu_items: list[str] = field(default_factory=list)
    public_urls: list[str] = field(default_factory=list)
    demo_content: list[str] = field(default_factory=list)
    home_sections: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, list[str]]:
        return {
            "page_types": self.page_types,
            "admin_viewsets": self.admin_viewsets,
            "admin_menu_items": self.admin_menu_items,
            "public_urls": self.public_urls,
            "demo_content": self.demo_content,
            "home_sections": self.home_sections,
        }


class PortalPluginConfig(AppConfig):
    """Base AppConfig of every portal plugin.

    Subclasses set ``label`` explicitly and describe themselves in an inner
    ``PortalPluginMeta`` class (``verbose_name``, ``description``, ``order``).
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

    @property
    def plugin_meta(self):
        return self.PortalPluginMeta

    def _own_hooks(self, hook_name: str):
        from wagtail import hooks

        prefix = f"{self.name}."
        return [
            fn
            for fn in hooks.get_hooks(hook_name)
            if getattr(fn, "__module__", "").startswith(prefix)
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
        for fn in self._own_hooks(PUBLIC_URLS_HOOK):
            for pattern in fn():
                found.public_urls.append("/" + str(pattern.pattern))
        for fn in self._own_hooks(DEMO_CONTENT_HOOK):
            found.demo_content.append(fn.__name__)
        for fn in self._own_hooks(HOME_SECTIONS_HOOK):
            found.home_sections.append(fn.__name__)
        return found


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
    """
    seen: dict[str, PluginSpec] = {}
    for ep in importlib.metadata.entry_points(group=ENTRY_POINT_GROUP):
        if ep.name in exclude:
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
        order = _import_plugin(ep.name, ep.value, dist_name)
        seen[ep.name] = PluginSpec(ep.name, ep.value, dist_name, version, order)
    return sorted(seen.values(), key=lambda spec: (spec.order, spec.name))


def _import_plugin(name: str, module_path: str, dist_name: str) -> int:
    """Import the plugin's package and its apps module; return its order.

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
            return 100
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
            return int(getattr(value.PortalPluginMeta, "order", 100))
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
