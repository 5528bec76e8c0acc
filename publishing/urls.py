from django.urls import path

from publishing import feeds, views

public_urlpatterns = [
    path("feeds/notices/rss/", feeds.NoticeRssFeed(), name="publishing_notices_rss"),
    path("feeds/notices/atom/", feeds.NoticeAtomFeed(), name="publishing_notices_atom"),
    path(
        "feeds/interpretations/rss/",
        feeds.InterpretationRssFeed(),
        name="publishing_interpretations_rss",
    ),
    path(
        "feeds/interpretations/atom/",
        feeds.InterpretationAtomFeed(),
        name="publishing_interpretations_atom",
    ),
]

admin_urlpatterns = [
    path(
        "clarification-from-case/<int:case_id>/",
        views.clarification_from_case,
        name="clarification_from_case",
    ),
    path(
        "interpretations/new/<int:policy_id>/<int:number>/",
        views.write_interpretation,
        name="write_interpretation",
    ),
    path(
        "approval-refused/<int:page_id>/",
        views.approval_refused,
        name="approval_refused",
    ),
]
