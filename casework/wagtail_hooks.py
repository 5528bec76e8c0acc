from wagtail import hooks

from casework import contributions
from casework.admin_assets import casework_admin_css
from casework.choosers import case_chooser_viewset
from casework.demo import load_casework_demo
from casework.panels import (
    casework_dashboard_panels,
    casework_oversight_panels,
    casework_validity_banner,
)
from casework.search_documents import search_documents, staff_search_sources
from casework.viewsets import CaseworkViewSetGroup
from portal.hooks import (
    AUDIT_VIEWER_GROUPS,
    BACKUP_ROOTS,
    DEMO_CONTENT,
    SEARCH_DOCUMENTS,
    STAFF_SEARCH_SOURCES,
)


@hooks.register("register_admin_viewset")
def register_casework_viewsets():
    return [CaseworkViewSetGroup(), case_chooser_viewset]


# Staff search over cases (search plugin), through visible_to(user); the
# Elasticsearch case index when ELASTICSEARCH_URL is set.
hooks.register(STAFF_SEARCH_SOURCES, staff_search_sources)
hooks.register(SEARCH_DOCUMENTS, search_documents)


hooks.register("insert_global_admin_css", casework_admin_css)


hooks.register("construct_homepage_panels", casework_dashboard_panels)
hooks.register("construct_homepage_panels", casework_oversight_panels)
hooks.register("construct_homepage_panels", casework_validity_banner)


@hooks.register(DEMO_CONTENT)
def casework_demo(home, stdout):
    return load_casework_demo(home=home, stdout=stdout)


# The portal's plumbing (portal/hooks.py): case files in the backup, the
# supervision head as reader of the audit log.
hooks.register(BACKUP_ROOTS, contributions.backup_roots)
hooks.register(AUDIT_VIEWER_GROUPS, contributions.audit_viewer_groups)
