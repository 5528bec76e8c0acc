from publishing.models.index import LISTED_TYPES, PublicationIndexPage
from publishing.models.interpretation import InterpretationPage, parse_article_numbers
from publishing.models.notice import ClarificationNoticePage
from publishing.models.policy import PolicyArticle, PolicyDocumentPage, Validity
from publishing.models.statistics import StatisticsSnapshot, TransparencyStatisticsPage

__all__ = [
    "LISTED_TYPES",
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
