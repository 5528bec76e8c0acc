"""The publishing side of reading a measure: :mod:`portal.measures` reads the
text (one parser for the whole project, framework-free); this module says
what it found and could not find in the reader's language.

A text with no article at all is refused (:class:`PolicyParseError`); a
field the parser could not find (title, issuing body, issue date, article
numbering) does not refuse the import: the services layer saves the page as
a draft and each :func:`problem_message` names the field for the editor.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from portal import measures
from portal.measures import Measure, Problem, model

__all__ = ["PolicyParseError", "parse_policy", "problem_message"]


class PolicyParseError(ValueError):
    """The text is not a measure this importer can read; the message says why
    in Chinese, for the person running the command."""


def parse_policy(text: str) -> Measure:
    """The measure ``text`` writes; PolicyParseError when it has no article."""
    try:
        return measures.parse(text)
    except measures.NotAMeasure:
        raise PolicyParseError(
            _(
                "No articles of the form “第X条” were found: the text cannot be "
                "imported."
            )
        ) from None


def problem_message(problem: Problem) -> str:
    """What an editor must complete before the draft can be published."""
    if problem.field == model.ARTICLES:
        if problem.code == "malformed":
            return _("The number “%(text)s” cannot be read: check the text.") % {
                "text": problem.detail
            }
        if problem.code == "repeated":
            return _(
                "The article numbers are not consecutive: article %(number)s is "
                "repeated."
            ) % {"number": problem.detail}
        return _(
            "The article numbers are not consecutive: article %(number)s is missing."
        ) % {"number": problem.detail}
    labels = {
        model.TITLE: _(
            "No title was found (it should come before the first chapter or article)."
        ),
        model.ISSUING_BODY: _("The issuing body was not recognised."),
        model.ISSUE_DATE: _(
            "The issue date (signature or adoption date) was not found."
        ),
    }
    return labels[problem.field]
