"""The admin's language at sign-in (connected to ``user_logged_in`` in
``PortalConfig.ready``)."""


def drop_unoffered_admin_language(sender, request, user, **kwargs):
    """A preference stored for a language the admin no longer offers
    (WAGTAILADMIN_PERMITTED_LANGUAGES is Chinese only) falls back to the
    server's language: Wagtail would otherwise still apply it."""
    from wagtail.admin.localization import get_available_admin_languages
    from wagtail.users.models import UserProfile

    offered = {code for code, _name in get_available_admin_languages()}
    UserProfile.objects.filter(user=user).exclude(preferred_language="").exclude(
        preferred_language__in=offered
    ).update(preferred_language="")
