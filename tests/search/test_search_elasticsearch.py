"""Elasticsearch: mappings, documents built from models and queries built from
input are unit-tested here; the live tests need ELASTICSEARCH_URL."""

import os

import pytest
from django.conf import settings

from casework.models import SupervisionCase
from casework.search_documents import CaseDocument, search_documents
from search import documents
from search.backends.elasticsearch import CJK_ANALYSIS, SegmentedElasticsearchBackend

live = pytest.mark.skipif(
    not os.environ.get("ELASTICSEARCH_URL"),
    reason="no Elasticsearch server here: set ELASTICSEARCH_URL to run the live tests",
)


def backend():
    return SegmentedElasticsearchBackend(
        {"URLS": ["http://127.0.0.1:9"], "INDEX_PREFIX": "test-"}
    )


def test_backend_uses_the_builtin_cjk_analyzer():
    analysis = backend().settings["settings"]["analysis"]
    assert analysis["analyzer"]["default"] == {"type": "cjk"}
    assert analysis["analyzer"]["edgengram_analyzer"]["tokenizer"] == "whitespace"
    # Wagtail's own analyzers are kept.
    assert "ngram_analyzer" in analysis["analyzer"]
    assert CJK_ANALYSIS["settings"]["analysis"]["analyzer"]["default"]["type"] == "cjk"


def test_documents_are_segmented(demo_site):
    from modelsearch.backends.elasticsearch8 import Elasticsearch8Mapping

    from search.backends.elasticsearch import SegmentedMapping

    case = SupervisionCase.objects.first()
    document = SegmentedMapping(SupervisionCase).get_document(case)
    stock = Elasticsearch8Mapping(SupervisionCase).get_document(case)
    title_key = next(
        k for k in document if k.endswith("title") and not k.startswith("_")
    )
    assert stock[title_key] == case.title
    assert document[title_key].split() == __import__(
        "search.segment"
    ).segment.index_tokens(case.title)
    mapping = SegmentedMapping(SupervisionCase).get_mapping()
    assert mapping["properties"]["_edgengrams"]["search_analyzer"] == "cjk"


def test_query_side_is_segmented():
    from modelsearch.backends.elasticsearch8 import Elasticsearch8SearchQueryCompiler

    from search.query import build_query

    compiler = Elasticsearch8SearchQueryCompiler(
        SupervisionCase.objects.all(), build_query("容错免责 情形")
    )
    text = str(compiler.get_query())
    assert "容错免责" in text and "'容错'" in text and "情形" in text


def test_case_document_mapping():
    mapping = CaseDocument._doc_type.mapping.to_dict()["properties"]
    assert mapping["summary"] == {"type": "text", "analyzer": "cjk"}
    assert mapping["stage"] == {"type": "keyword"}
    assert mapping["title"]["fields"]["raw"] == {"type": "keyword"}
    assert CaseDocument._index._name == f"{settings.ELASTICSEARCH_INDEX}-cases"
    assert search_documents() == [CaseDocument]


def test_case_document_from_a_case(demo_site):
    case = SupervisionCase.objects.select_related("agency", "field").first()
    data = CaseDocument.from_object(case).to_dict(include_meta=True)
    assert data["_id"] == case.pk
    assert data["_index"] == CaseDocument._index._name
    source = data["_source"]
    assert source["number"] == case.number
    assert source["stage"] == case.stage
    assert " " in source["summary"]  # segmented words


def test_es_query_from_input():
    query = documents.build_query("容错免责 第16条", ["title", "summary"]).to_dict()
    must = query["bool"]["must"]
    assert len(must) == 2
    should = must[0]["bool"]["should"]
    assert {s["multi_match"]["query"] for s in should} == {"容错免责", "容错 免责"}
    assert must[1]["multi_match"]["query"] == "第十六条"
    assert must[1]["multi_match"]["operator"] == "and"
    assert documents.build_query("😀，", ["title"]) is None


def test_bulk_actions_and_command_without_a_server(demo_site):
    from django.core.management import CommandError, call_command

    cases = list(CaseDocument.get_queryset()[:2])
    actions = list(documents.bulk_actions(CaseDocument, cases))
    assert [a["_id"] for a in actions] == [c.pk for c in cases]
    with pytest.raises(CommandError):
        call_command("search_documents", "rebuild")
    from io import StringIO

    out = StringIO()
    with __import__("wagtail").hooks.register_temporarily(
        "register_search_documents", search_documents
    ):
        call_command("search_documents", "list", stdout=out)
    assert "casework.supervisioncase" in out.getvalue()


@live
def test_live_rebuild_and_search(demo_site):
    from wagtail import hooks

    with hooks.register_temporarily("register_search_documents", search_documents):
        count = documents.rebuild(CaseDocument)
        assert count == SupervisionCase.objects.count()
        case = SupervisionCase.objects.first()
        ids = [pk for pk, _ in documents.search_ids(CaseDocument, case.title[:4])]
        assert case.pk in ids
        documents.delete_index(CaseDocument)
