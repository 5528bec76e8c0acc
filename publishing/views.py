"""Admin views of the publishing plugin: drafting a clarification notice from
a supervision case (Art. 22), and writing an interpretation of one article of
a policy (issue #17). Casework never imports publishing; the
reporting inbox links here by URL name (publishing:clarification_from_case).
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods
from wagtail.admin.views.pages.create import CreateView
from wagtail.models import Page

from casework.models import SupervisionCase
from publishing import services
from publishing.editorial import interpretation_index_for, writable_index
from publishing.models import (
    ClarificationNoticePage,
    InterpretationPage,
    PolicyDocumentPage,
    PublicationIndexPage,
)
from publishing.models.workflow import unanonymized


def notice_index_for(user) -> PublicationIndexPage | None:
    """The index page under which ``user`` may add a clarification notice:
    the 澄清正名公告 index first, then any other."""
    return writable_index(user, ClarificationNoticePage, services.NOTICE_INDEX_SLUG)


@require_http_methods(["GET", "POST"])
def clarification_from_case(request, case_id: int):
    """Draft a clarification notice from a case: the agency and dates are
    filled in and the case's officers become the names to anonymize. Only
    for users who may see the case and may add notices; the draft then goes
    through the editorial workflow."""
    case = get_object_or_404(
        SupervisionCase.objects.visible_to(request.user).select_related("agency"),
        pk=case_id,
    )
    index_page = notice_index_for(request.user)
    if index_page is None:
        raise PermissionDenied
    if request.method == "POST":
        notice = services.draft_clarification_from_case(
            case, parent=index_page, user=request.user
        )
        messages.success(
            request,
            _(
                "A draft clarification notice was created. Check the anonymization, "
                "then submit it for legal review."
            ),
        )
        return redirect("wagtailadmin_pages:edit", notice.pk)
    names = services.case_party_names(case)
    title, body = services.notice_text(case, names)
    existing = ClarificationNoticePage.objects.filter(source_case=case).order_by("-pk")
    return TemplateResponse(
        request,
        "publishing/admin/clarification_from_case.html",
        {
            "case": case,
            "names": names,
            "preview_title": title,
            "preview_paragraphs": [line for line in body.splitlines() if line.strip()],
            "index_page": index_page,
            "existing": list(existing),
        },
    )


def approval_refused(request, page_id: int):
    """Where the dashboard lands when AnonymizationApprovalTask refused to
    approve a clarification notice: the reason, listing what still
    identifies someone (Art. 22), then the page's editor. The names are
    shown only to a user who may edit the page."""
    page = get_object_or_404(Page, pk=page_id).specific
    if not page.permissions_for_user(request.user).can_edit():
        raise PermissionDenied
    spans = unanonymized(page)
    if spans:
        messages.error(
            request,
            _(
                "“%(title)s” was not approved: it is not anonymized yet "
                "(%(spans)s). Edit the text or tick “Anonymize the text when "
                "saving”, save, then approve; or request changes."
            )
            % {"title": page.get_admin_display_title(), "spans": spans},
        )
    return redirect("wagtailadmin_pages:edit", page.pk)


class ArticleInterpretationCreateView(CreateView):
    """Wagtail's form for a new interpretation, with the policy, the article,
    a title and a free slug filled in. The form posts to Wagtail's own create
    view, so saving, submitting to the 政策解读法制审核 workflow and every
    check behave as for any new page."""

    policy: PolicyDocumentPage | None = None
    article = None

    def get(self, request):
        self.page.policy = self.policy
        self.page.article_numbers = str(self.article.number)
        self.page.title = _("Interpretation of %(article)s of “%(policy)s”") % {
            "policy": self.policy.title,
            "article": self.article.label,
        }
        self.page.slug = _free_slug(
            self.parent_page, f"{self.policy.slug}-art-{self.article.number}"
        )
        return super().get(request)


def _free_slug(parent: Page, base: str) -> str:
    taken = set(parent.get_children().values_list("slug", flat=True))
    slug, counter = base, 1
    while slug in taken:
        counter += 1
        slug = f"{base}-{counter}"
    return slug


@require_GET
def write_interpretation(request, policy_id: int, number: int):
    """撰写本条解读: the new-interpretation form for article ``number`` of a
    live policy, for users who may add interpretations (政策解读编辑)."""
    index_page = interpretation_index_for(request.user)
    if index_page is None:
        raise PermissionDenied
    policy = get_object_or_404(PolicyDocumentPage.objects.live(), pk=policy_id)
    article = get_object_or_404(policy.articles, number=number)
    view = ArticleInterpretationCreateView.as_view(policy=policy, article=article)
    return view(
        request,
        InterpretationPage._meta.app_label,
        InterpretationPage._meta.model_name,
        index_page.pk,
    )
