"""Helpers for the plugins' demo content (``manage.py load_demo``, hook
``register_demo_content``): the demo logins every plugin creates the same
way, so the demo office's people are made and announced alike.

A plugin lists its logins as ``{username: (last name, first name, role
group, what the login shows)}``, all fictional, and calls
:func:`ensure_demo_users` and then :func:`login_lines` for its output.
"""

from __future__ import annotations

from collections.abc import Mapping

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from portal.management.commands.load_demo import DEMO_ADMIN_PASSWORD

__all__ = ["DEMO_ADMIN_PASSWORD", "DemoLogins", "ensure_demo_users", "login_lines"]

DemoLogins = Mapping[str, tuple[str, str, str, str]]


def ensure_demo_users(logins: DemoLogins) -> dict:
    """The demo users of ``logins`` by username, created when missing with
    the demo password and added to their role group; idempotent (an
    existing user keeps its name and password).

    Wagtail admin access comes from the role group's permissions, so
    is_staff stays off: the portal has no Django admin."""
    user_model = get_user_model()
    users = {}
    for username, (last, first, group, _duty) in logins.items():
        user, created = user_model.objects.get_or_create(
            username=username,
            # Django shows "first last"; a Chinese name reads surname first,
            # so the whole name goes in first_name.
            defaults={
                "first_name": f"{last}{first}",
                "email": f"{username}@example.invalid",
            },
        )
        if created:
            user.set_password(DEMO_ADMIN_PASSWORD)
            user.save(update_fields=["password"])
        user.groups.add(Group.objects.get(name=group))
        users[username] = user
    return users


def login_lines(logins: DemoLogins) -> str:
    """One line per login for the loader's output: the username, the name,
    the role group and what the login shows."""
    return "".join(
        f"  {username:<15} {last}{first}（{group}：{duty}）\n"
        for username, (last, first, group, duty) in logins.items()
    )
