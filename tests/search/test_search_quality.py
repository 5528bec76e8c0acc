"""The query set of issue #6: recall@10 and MRR over the policy text and
demo notices, on the segmented backend, beside Wagtail's stock backend.

Expected hits are named by article label (第十六条) or page title, never by
id. Each positive query lists the results that must be in the top ten; the
reciprocal rank counts the first of them. Misses must find nothing at all.
"""

from django.core.management import call_command

from search import sources

ARTICLE_WORDS = [
    # words inside longer phrases
    ("落地见效", ["第一条"]),
    ("山东省行政执法监督条例", ["第一条"]),
    ("三个区分开来", ["第二条"]),
    ("先行先试", ["第二条"]),
    ("明知故犯", ["第二条"]),
    ("街道办事处 科室", ["第三条"]),
    ("执法辅助人员", ["第四条"]),
    ("征收征用", ["第四条"]),
    ("事项清单", ["第五条"]),
    ("裁量基准", ["第六条"]),
    ("全过程记录", ["第六条", "第十二条"]),
    ("证据链", ["第七条"]),
    ("公安机关", ["第八条"]),
    ("正当防卫", ["第九条"]),
    ("请示期", ["第九条"]),
    ("历史遗留问题", ["第十条"]),
    ("急难险重", ["第十条"]),
    ("程序瑕疵", ["第十条", "关于李某执法行为认定结果的公告"]),
    ("挽回影响", ["第十一条"]),
    ("廉政纪律", ["第十二条"]),
    ("滥用职权", ["第十二条"]),
    ("联合调查", ["第十三条"]),
    ("听证主持人", ["第十四条"]),
    ("自行调查", ["第十五条"]),
    ("陈述申辩", ["第十六条"]),
    ("回避", ["第十六条"]),
    ("少于两人", ["第十六条"]),
    ("调查终结", ["第十七条"]),
    ("行政执法监督意见书", ["第十八条"]),
    ("复核申请", ["第十九条"]),
    ("整改期限", ["第二十条"]),
    ("汲取教训", ["第二十条"]),
    ("易错风险点", ["第二十一条"]),
    ("警示提醒", ["第二十一条"]),
    ("诬告陷害", ["第二十二条"]),
    ("匿名举报", ["第二十二条"]),
    ("司法局", ["第二十三条"]),
    ("有效期", ["第二十四条"]),
    # article numbers, Chinese and Arabic
    ("第十六条", ["第十六条"]),
    ("第16条", ["第十六条"]),
    ("第二十二条", ["第二十二条"]),
    # synonyms the user dictionary covers
    ("纪委", ["第十三条"]),
    ("申诉", ["第十九条"]),
    ("监督意见书", ["第十八条"]),
    ("执法证", ["第四条"]),
    # notices and interpretations, mixed Chinese and numbers
    ("澄清正名", ["关于张某被举报问题的澄清正名公告"]),
    ("2025 容错", ["关于李某执法行为认定结果的公告"]),
    ("诬告 2026", ["关于王某被诬告问题的澄清公告"]),
    ("政策解读 六个环节", ["《历城区行政执法履职尽责容错纠错实施办法》政策解读"]),
]
MISSES = ["区块链", "个人所得税", "疫苗接种", "房地产开发", "quantum computing"]
TARGET_RECALL = 0.95
TARGET_MRR = 0.8


def measure(query_set):
    recalls, reciprocal_ranks, failures = [], [], []
    for query, expected in query_set:
        titles = [hit.title for hit in sources.search(query, sources.public_sources())]
        top = titles[:10]
        recalls.append(sum(1 for e in expected if e in top) / len(expected))
        ranks = [titles.index(e) + 1 for e in expected if e in titles]
        reciprocal_ranks.append(1 / min(ranks) if ranks else 0.0)
        if not ranks or min(ranks) > 1 or recalls[-1] < 1:
            failures.append((query, expected, top[:3]))
    n = len(query_set)
    return sum(recalls) / n, sum(reciprocal_ranks) / n, failures


def test_the_query_set_is_large_enough():
    assert len(ARTICLE_WORDS) + len(MISSES) >= 40


def test_recall_and_mrr_meet_the_target(search_corpus, capsys):
    recall, mrr, failures = measure(ARTICLE_WORDS)
    with capsys.disabled():
        print(
            f"\nsegmented backend: {len(ARTICLE_WORDS)} queries, recall@10 "
            f"{recall:.3f}, MRR {mrr:.3f}; not first: {failures}"
        )
    assert recall >= TARGET_RECALL, failures
    assert mrr >= TARGET_MRR, failures


def test_misses_stay_misses(search_corpus):
    # One corpus for every query: building it is the cost of this module.
    found = {
        query: [hit.title for hit in sources.search(query, sources.public_sources())]
        for query in MISSES
    }
    assert found == {query: [] for query in MISSES}


def test_the_stock_backend_finds_almost_nothing(search_corpus, settings, capsys):
    settings.WAGTAILSEARCH_BACKENDS = {
        "default": {"BACKEND": "wagtail.search.backends.database"}
    }
    call_command("update_index", verbosity=0)
    recall, mrr, _ = measure(ARTICLE_WORDS)
    with capsys.disabled():
        print(f"\nstock backend: recall@10 {recall:.3f}, MRR {mrr:.3f}")
    assert recall < 0.3
