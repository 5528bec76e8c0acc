from publishing.models.index import LISTED_TYPES, PublicationIndexPage
from publishing.models.interpretation import InterpretationPage, parse_article_numbers
from publishing.models.notice import ClarificationNoticePage
from publishing.models.policy import PolicyArticle, PolicyDocumentPage, Validity
from publishing.models.statistics import StatisticsSnapshot, TransparencyStatisticsPage
from publishing.models.workflow import AnonymizationApprovalTask

__all__ = [
    "LISTED_TYPES",
    "AnonymizationApprovalTask",
    "ClarificationNoticePage",
    "InterpretationPage",
    "PolicyArticle",
    "PolicyDocumentPage",
    "PublicationIndexPage",
    "StatisticsSnapshot",
    "TransparencyStatisticsPage",
    "Validity",
    "parse_article_numbers",
]
