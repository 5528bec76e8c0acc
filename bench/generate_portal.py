"""Fill a bench-only database with a district's worth of data (not a test).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/portal_bench \\
        .venv/bin/python bench/generate_portal.py            # 100,000 cases
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/portal_bench_1k \\
        .venv/bin/python bench/generate_portal.py --cases 1000

What it makes, on top of the demo site (``load_demo``): agencies, enforcement
officers and investigators; supervision cases spread over the six stages with
the persons concerned, two investigators each, the recorded stage changes and
the determinations of the cases past 认定; clarification notices, policy
documents with their articles and interpretations as real, live Wagtail pages
(rows written in bulk with the tree paths computed here, then indexed for
search); and reports filed through reporting's own service, so their receipt
codes work. Rows are written in bulk: Django cannot bulk_create models with
multi-table inheritance, so a page's ``wagtailcore_page`` row goes in first and
its own table's row after it, with the same primary key.

It refuses a database whose name does not contain "bench". Running it twice
adds a second batch; start from an empty database for figures.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import random
import sys
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

BATCH = 2000
TREE_ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
TREE_STEPLEN = 4
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂"
EXTRA_AGENCIES = [
    ("区住房和城乡建设局", "department"),
    ("区卫生健康局", "department"),
    ("区文化和旅游局", "department"),
    ("区农业农村局", "department"),
    ("区水务局", "department"),
    ("区教育和体育局", "department"),
    ("区商务局", "department"),
    ("区人力资源和社会保障局", "department"),
    ("王舍人街道办事处", "street"),
    ("唐冶街道办事处", "street"),
    ("华山街道办事处", "street"),
    ("全福街道办事处", "street"),
    ("东风街道办事处", "street"),
    ("鲍山街道办事处", "street"),
    ("郭店街道办事处", "street"),
    ("港沟街道办事处", "street"),
    ("董家街道办事处", "street"),
    ("遥墙街道办事处", "street"),
    ("临港街道办事处", "street"),
    ("荷花路街道办事处", "street"),
]
# Share of generated cases per stage: most of a few years' cases are closed.
STAGE_WEIGHTS = {
    "filed": 4,
    "verifying": 8,
    "determined": 4,
    "notified": 4,
    "correcting": 5,
    "archived": 75,
}
STAGE_PATH = {
    "filed": [],
    "verifying": ["verifying"],
    "determined": ["verifying", "determined"],
    "notified": ["verifying", "determined", "notified"],
    "correcting": ["verifying", "determined", "notified", "correcting"],
    "archived": ["verifying", "determined", "notified", "archived"],
}
OUTCOME_BASIS = {
    "duty_fulfilled": ["9(1)"],
    "exempt": ["10(2)"],
    "lighter": ["10(4)"],
    "no_tolerance": ["12(1)"],
}


def vacuum_or_analyze(table: str = "") -> str:
    """VACUUM cannot run inside a transaction (a test's, say): there only the
    planner statistics are refreshed."""
    from django.db import connection

    verb = "ANALYZE" if connection.in_atomic_block else "VACUUM ANALYZE"
    return f"{verb} {table}".strip()


def check_database_name(name: str) -> None:
    """Only a database named for the benchmark may be filled."""
    if "bench" not in str(name):
        raise SystemExit(
            f"refusing to fill database {name!r}: its name must contain 'bench' "
            "(e.g. portal_bench); this generator writes thousands of rows."
        )


def tree_step(number: int) -> str:
    """The treebeard path segment of the ``number``-th child (1-based)."""
    digits = ""
    while number:
        number, rest = divmod(number, len(TREE_ALPHABET))
        digits = TREE_ALPHABET[rest] + digits
    return digits.rjust(TREE_STEPLEN, "0")


def tree_number(step: str) -> int:
    return int(step, len(TREE_ALPHABET))


def person_name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + "".join(rng.sample(GIVEN, rng.choice((1, 2))))


def write_rows(model, rows: list[dict]) -> None:
    """Insert ``rows`` (attname -> value, primary key included) into
    ``model``'s own table: COPY on PostgreSQL, executemany elsewhere. Fields
    a row leaves out take their model default. Far faster than bulk_create,
    which prepares every value through the ORM."""
    from django.db import connection
    from django.db.models import JSONField

    if not rows:
        return
    fields = model._meta.local_concrete_fields
    defaults = {f.attname: f.get_default() for f in fields if f.attname not in rows[0]}
    quote = connection.ops.quote_name
    columns = ", ".join(quote(f.column) for f in fields)
    table = quote(model._meta.db_table)
    postgres = connection.vendor == "postgresql"

    def value(field, row):
        raw = row[field.attname] if field.attname in row else defaults[field.attname]
        if isinstance(field, JSONField):
            return json.dumps(raw, ensure_ascii=False)
        if postgres or raw is None:
            return raw
        return field.get_db_prep_save(raw, connection)

    with connection.cursor() as cursor:
        if postgres:
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row([value(f, row) for f in fields])
        else:
            marks = ", ".join(["%s"] * len(fields))
            cursor.executemany(
                f"INSERT INTO {table} ({columns}) VALUES ({marks})",  # noqa: S608
                [[value(f, row) for f in fields] for row in rows],
            )


def next_key(model) -> int:
    from django.db.models import Max

    return (model._base_manager.aggregate(top=Max("pk"))["top"] or 0) + 1


def reset_sequences(*models) -> None:
    """After writing explicit keys, the tables' sequences move past them."""
    from django.core.management.color import no_style
    from django.db import connection

    with connection.cursor() as cursor:
        for sql in connection.ops.sequence_reset_sql(no_style(), list(models)):
            cursor.execute(sql)


class Generator:
    def __init__(self, *, seed: int = 2025, stdout=sys.stdout):
        from bench.generate import MATTERS, PLACES, clauses

        self.rng = random.Random(seed)
        self.pool = clauses()
        self.places = PLACES
        self.matters = MATTERS
        self.stdout = stdout
        self.today = datetime.date.today()

    def say(self, message: str) -> None:
        self.stdout.write(message + "\n")
        self.stdout.flush()

    def sentence(self, parts: int = 4) -> str:
        return "，".join(self.rng.sample(self.pool, parts)) + "。"

    # --- reference data and people -------------------------------------------
    def reference_data(self, *, officers: int, investigators: int):
        from django.contrib.auth import get_user_model
        from django.contrib.auth.models import Group

        from casework import roles
        from casework.models import Agency, EnforcementField, Officer

        for name, kind in EXTRA_AGENCIES:
            Agency.objects.get_or_create(name=name, defaults={"kind": kind})
        self.agencies = list(Agency.objects.order_by("pk"))
        self.fields = list(EnforcementField.objects.order_by("pk"))
        statuses = [s.value for s in Officer.Status]
        start = Officer.objects.count()
        Officer.objects.bulk_create(
            (
                Officer(
                    name=person_name(self.rng),
                    agency=self.rng.choice(self.agencies),
                    status=self.rng.choice(statuses),
                    certificate_number=f"LCB{start + n:07d}",
                )
                for n in range(officers)
            ),
            batch_size=BATCH,
        )
        self.officers_by_agency: dict[int, list[int]] = {}
        for pk, agency_id in Officer.objects.values_list("pk", "agency_id"):
            self.officers_by_agency.setdefault(agency_id, []).append(pk)

        User = get_user_model()
        group = Group.objects.get(name=roles.OFFICER)
        taken = set(User.objects.values_list("username", flat=True))
        new = []
        for n in range(1, investigators + 1):
            username = f"bench-investigator-{n}"
            if username not in taken:
                user = User(
                    username=username,
                    last_name=self.rng.choice(SURNAMES),
                    first_name=self.rng.choice(GIVEN),
                    is_staff=True,
                )
                user.set_unusable_password()
                new.append(user)
        User.objects.bulk_create(new)
        through = User.groups.through
        through.objects.bulk_create(
            [through(user_id=u.pk, group_id=group.pk) for u in new],
            ignore_conflicts=True,
        )
        self.investigators = list(
            User.objects.filter(groups=group).values_list("pk", flat=True)
        )
        self.say(
            f"reference: {len(self.agencies)} agencies, {officers} officers, "
            f"{len(self.investigators)} investigators"
        )

    # --- supervision cases ------------------------------------------------------
    def cases(self, count: int) -> None:
        from django.db import transaction
        from django.db.models import Max
        from django.utils import timezone

        from casework import services
        from casework.models import (
            Assignment,
            CaseOfficer,
            Determination,
            ErrorType,
            StageChange,
            SupervisionCase,
        )
        from casework.rules import periods
        from casework.rules.articles import is_error

        calendar = services.holiday_calendar()
        decision_due: dict = {}
        notification_due: dict = {}

        def due(start, table, days):
            if start not in table:
                table[start] = periods.period_end(start, days, calendar=calendar)
            return table[start]

        stages = list(STAGE_WEIGHTS)
        weights = list(STAGE_WEIGHTS.values())
        matter_types = [
            "penalty",
            "licensing",
            "compulsion",
            "inspection",
            "fee",
            "confirmation",
        ]
        sources = ["report", "inspection", "referral"]
        errors = [e.value for e in ErrorType]
        outcomes = list(OUTCOME_BASIS)
        top = dict(
            SupervisionCase.objects.values("year")
            .annotate(top=Max("sequence"))
            .values_list("year", "top")
        )
        keys = {
            model: next_key(model)
            for model in (
                SupervisionCase,
                CaseOfficer,
                Assignment,
                StageChange,
                Determination,
            )
        }
        span = 4 * 365
        author = self.investigators[0]
        started = time.perf_counter()
        made = 0
        while made < count:
            size = min(BATCH * 5, count - made)
            now = timezone.now()
            rows: dict = {model: [] for model in keys}

            def add(model, **values):
                values["id"] = keys[model]
                keys[model] += 1
                values.setdefault("created_at", now)  # noqa: B023
                values.setdefault("created_by_id", author)
                rows[model].append(values)  # noqa: B023
                return values["id"]

            for _ in range(size):
                stage = self.rng.choices(stages, weights)[0]
                age = self.rng.randint(0, 40 if stage != "archived" else span)
                filed_on = self.today - datetime.timedelta(days=age)
                year = filed_on.year
                top[year] = top.get(year, 0) + 1
                agency = self.rng.choice(self.agencies)
                determined = stage not in ("filed", "verifying")
                decided = determined and stage != "determined"
                decided_on = (
                    min(self.today, filed_on + datetime.timedelta(days=25))
                    if determined
                    else None
                )
                case = add(
                    SupervisionCase,
                    year=year,
                    sequence=top[year],
                    number=services.CASE_NUMBER_FORMAT.format(
                        year=year, sequence=top[year]
                    ),
                    title=(
                        f"{self.rng.choice(self.places)}"
                        f"{self.rng.choice(self.matters)}案执法监督"
                    ),
                    agency_id=agency.pk,
                    field_id=self.rng.choice(self.fields).pk,
                    matter_type=self.rng.choice(matter_types),
                    source=self.rng.choice(sources),
                    summary=self.sentence(),
                    stage=stage,
                    filed_on=filed_on,
                    decision_due=due(filed_on, decision_due, 30),
                    decided_on=decided_on if decided else None,
                    notification_due=(
                        due(decided_on, notification_due, 7) if decided else None
                    ),
                    notified_on=(
                        min(self.today, decided_on + datetime.timedelta(days=3))
                        if decided
                        else None
                    ),
                    correction_required=stage == "correcting",
                    archived_at=now if stage == "archived" else None,
                    # What the deadline engine stores for the overdue list:
                    # an undecided case's decision deadline (generated cases
                    # are served at once and have no transfers).
                    next_due=(
                        due(filed_on, decision_due, 30)
                        if not decided and stage != "archived"
                        else None
                    ),
                )
                people = self.officers_by_agency.get(agency.pk, [])
                for officer in self.rng.sample(people, min(len(people), 2)):
                    link = add(
                        CaseOfficer,
                        case_id=case,
                        officer_id=officer,
                        error_type=self.rng.choice(errors),
                    )
                    if determined:
                        outcome = self.rng.choice(outcomes)
                        add(
                            Determination,
                            case_officer_id=link,
                            outcome=outcome,
                            basis=OUTCOME_BASIS[outcome],
                            facts=self.sentence(3),
                            distinction_reform="属于改革探索中出现的失误，并非明知故犯。",
                            distinction_exploration="上级尚无明确限制，未违反明令禁止。",
                            distinction_intent="为推动发展的无意过失，未谋取私利。",
                            # 从轻 ("lighter") is 不予容错免责 too (Art. 18).
                            counts_as_error=is_error(outcome),
                            prior_exemptions=[],
                            decided_on=decided_on,
                        )
                if stage != "filed":
                    for n, person in enumerate(self.rng.sample(self.investigators, 2)):
                        add(
                            Assignment,
                            case_id=case,
                            investigator_id=person,
                            is_lead=n == 0,
                            created_by_id=person,
                        )
                before = "filed"
                for after in STAGE_PATH[stage]:
                    add(
                        StageChange,
                        case_id=case,
                        from_stage=before,
                        to_stage=after,
                        note="",
                    )
                    before = after
            with transaction.atomic():
                for model, batch in rows.items():
                    write_rows(model, batch)
            made += size
            if made % 20000 == 0 or made == count:
                rate = made / (time.perf_counter() - started)
                self.say(f"cases: {made}/{count} ({rate:,.0f}/s)")
        reset_sequences(*keys)

    # --- pages ------------------------------------------------------------------
    def bulk_pages(self, parent, model, specs: list[dict]) -> list[int]:
        """Live pages of ``model`` under ``parent``, written in bulk: the
        ``wagtailcore_page`` rows (tree path, depth and url_path computed
        here), then ``model``'s own rows with the same keys. ``specs`` hold
        ``title``, ``slug`` and the model's own fields. Returns the new keys."""
        from django.contrib.contenttypes.models import ContentType
        from django.db import transaction
        from django.utils import timezone
        from wagtail.models import Page

        parent = Page.objects.get(pk=parent.pk)
        content_type = ContentType.objects.get_for_model(model)
        last = parent.get_children().order_by("-path").values_list("path", flat=True)
        number = tree_number(last[0][-TREE_STEPLEN:]) if last else 0
        now = timezone.now()
        key = next_key(Page)
        keys: list[int] = []
        for start in range(0, len(specs), BATCH * 5):
            pages, rows = [], []
            for spec in specs[start : start + BATCH * 5]:
                number += 1
                spec = dict(spec)
                title, slug = spec.pop("title"), spec.pop("slug")
                pages.append(
                    {
                        "id": key,
                        "title": title,
                        "draft_title": title,
                        "slug": slug,
                        "content_type_id": content_type.pk,
                        "live": True,
                        "has_unpublished_changes": False,
                        "path": parent.path + tree_step(number),
                        "depth": parent.depth + 1,
                        "numchild": 0,
                        "url_path": f"{parent.url_path}{slug}/",
                        "locale_id": parent.locale_id,
                        "translation_key": uuid.uuid4(),
                        "first_published_at": now,
                        "last_published_at": now,
                    }
                )
                rows.append({"page_ptr_id": key, **spec})
                keys.append(key)
                key += 1
            with transaction.atomic():
                write_rows(Page, pages)
                write_rows(model, rows)
                Page.objects.filter(pk=parent.pk).update(numchild=number)
        reset_sequences(Page)
        return keys

    def notice_body(self) -> str:
        surname = self.rng.choice(SURNAMES)
        return "\n".join(
            [
                f"经调查核实，反映{surname}某在{self.rng.choice(self.matters)}执法中"
                "存在违规行为的举报查无实据。",
                self.sentence(),
                self.sentence(3),
                f"现予以澄清正名，{surname}某依法履行了职责。",
            ]
        )

    def notices(self, count: int) -> list[int]:
        from publishing import services
        from publishing.models import ClarificationNoticePage

        parent = services.index_page(services.NOTICE_INDEX_SLUG, "澄清正名公告")
        tag = uuid.uuid4().hex[:6]
        specs = []
        for n in range(1, count + 1):
            agency = self.rng.choice(self.agencies)
            specs.append(
                {
                    "title": f"关于{agency.name}执法人员{self.rng.choice(SURNAMES)}某"
                    f"有关举报情况的澄清公告（第{n}号）",
                    "slug": f"bench-notice-{tag}-{n}",
                    "date": self.today - datetime.timedelta(days=n % 1400),
                    "issuing_body": "历城区行政执法监督机构",
                    "agency_name": agency.name,
                    "body": self.notice_body(),
                    "party_names": "",
                    "change_note": "",
                }
            )
        keys = self.bulk_pages(parent, ClarificationNoticePage, specs)
        self.say(f"pages: {count} clarification notices")
        return keys

    def policies(self, count: int, articles: int) -> list[int]:
        from publishing import services
        from publishing.models import PolicyArticle, PolicyDocumentPage

        source = PolicyDocumentPage.objects.order_by("pk").first()
        template = list(source.articles.order_by("sort_order")) if source else []
        parent = services.index_page(services.POLICY_INDEX_SLUG, "政策文件")
        tag = uuid.uuid4().hex[:6]
        specs = []
        for n in range(1, count + 1):
            year = 2015 + n % 11
            specs.append(
                {
                    "title": f"历城区{self.rng.choice(self.matters)}"
                    f"行政执法监督办法（第{n}号）",
                    "slug": f"bench-policy-{tag}-{n}",
                    "document_number": f"济历城政办发〔{year}〕{n}号",
                    "issuing_body": "历城区人民政府办公室",
                    "date": datetime.date(year, 1 + n % 12, 1 + n % 28),
                    "effective_date": datetime.date(year, 1 + n % 12, 1 + n % 28),
                    "expiry_date": None,
                    "preamble": self.sentence(),
                    "change_note": "",
                }
            )
        keys = self.bulk_pages(parent, PolicyDocumentPage, specs)
        rows = []
        article_key = next_key(PolicyArticle)
        for key in keys:
            for order in range(articles):
                if template:
                    model = template[order % len(template)]
                    chapter = (model.chapter_number, model.chapter_title)
                    body = model.body
                else:
                    chapter, body = (1, "总则"), self.sentence()
                number = order + 1
                rows.append(
                    {
                        "id": article_key,
                        "page_id": key,
                        "sort_order": order,
                        "chapter_number": chapter[0],
                        "chapter_title": chapter[1],
                        "number": number,
                        "label": f"第{number}条",
                        "body": body,
                        "anchor": f"art-{number}",
                    }
                )
                article_key += 1
        write_rows(PolicyArticle, rows)
        reset_sequences(PolicyArticle)
        self.say(f"pages: {count} policy documents, {len(rows)} articles")
        return keys

    def interpretations(self, count: int, policies: list[int]) -> list[int]:
        from publishing import services
        from publishing.models import InterpretationPage

        parent = services.index_page(services.INTERPRETATION_INDEX_SLUG, "政策解读")
        tag = uuid.uuid4().hex[:6]
        specs = []
        for n in range(1, count + 1):
            numbers = sorted(self.rng.sample(range(1, 11), 2))
            specs.append(
                {
                    "title": f"政策解读：{self.rng.choice(self.matters)}执法中的"
                    f"容错免责情形（第{n}号）",
                    "slug": f"bench-interpretation-{tag}-{n}",
                    "date": self.today - datetime.timedelta(days=n % 1400),
                    "source": "历城区司法局",
                    "policy_id": policies[n % len(policies)] if policies else None,
                    "article_numbers": (
                        ", ".join(map(str, numbers)) if policies else ""
                    ),
                    "summary": self.sentence(3),
                    "body": "".join(
                        f"<h2>{h}</h2><p>{self.sentence()}</p>"
                        for h in ("一、背景", "二、要点", "三、适用")
                    ),
                    "change_note": "",
                }
            )
        keys = self.bulk_pages(parent, InterpretationPage, specs)
        self.say(f"pages: {count} interpretations")
        return keys

    def stock_copies(self) -> None:
        """The stock Wagtail page twins (bench.stockpage) of the measured
        home page, notice and policy document: each twin's body is what its
        original shows inside ``<main>`` (``main_content``), so the two
        render the same content, and the notice's and policy's twins sit as
        deep in the tree as their originals (/stock/stock-notice/ beside
        /notices/<slug>/), so Wagtail routes both through as many levels.
        Twins written by an earlier version of this method are replaced."""
        from django.apps import apps

        if not apps.is_installed("bench.stockpage"):
            return
        from wagtail.models import Site

        from bench.stockpage.models import StockPage
        from publishing.models import PolicyDocumentPage

        site = Site.objects.get(is_default_site=True)
        home = site.root_page.specific
        originals = {
            "stock-home": home,
            "stock-notice": target_notice(),
            "stock-policy": PolicyDocumentPage.objects.order_by("pk").first(),
        }
        for old in StockPage.objects.filter(slug__in=[*originals, "stock"]):
            old.delete()
        self.bulk_pages(
            home,
            StockPage,
            [
                {"title": home.title, "slug": "stock-home", "body": main_content(home)},
                {"title": "基准对照", "slug": "stock", "body": ""},
            ],
        )
        specs = [
            {"title": page.title, "slug": slug, "body": main_content(page)}
            for slug, page in originals.items()
            if page is not None and slug != "stock-home"
        ]
        self.bulk_pages(StockPage.objects.get(slug="stock"), StockPage, specs)
        self.say(f"pages: {len(specs) + 1} stock Wagtail twins")

    def stock_records(self, count: int) -> None:
        """``count`` rows of the stock admin listing's model
        (bench.stockpage.StockRecord), one per case: the baseline of the
        admin case list."""
        from django.apps import apps

        if not apps.is_installed("bench.stockpage") or count <= 0:
            return
        from bench.stockpage.models import StockRecord

        key = next_key(StockRecord)
        categories = [name for name, _kind in EXTRA_AGENCIES]
        stages = list(STAGE_WEIGHTS)
        rows = []
        for n in range(count):
            filed_on = self.today - datetime.timedelta(days=self.rng.randint(0, 1460))
            rows.append(
                {
                    "id": key + n,
                    "number": f"基准〔{filed_on.year}〕{key + n}号",
                    "title": f"{self.rng.choice(self.places)}"
                    f"{self.rng.choice(self.matters)}记录",
                    "category": self.rng.choice(categories),
                    "status": self.rng.choice(stages),
                    "filed_on": filed_on,
                    "due_on": filed_on + datetime.timedelta(days=30),
                }
            )
            if len(rows) == BATCH * 5:
                write_rows(StockRecord, rows)
                rows = []
        write_rows(StockRecord, rows)
        reset_sequences(StockRecord)
        self.say(f"stock records: {count} for the stock admin listing")

    def stock_baselines(self) -> None:
        """What a database generated before the baselines existed lacks: the
        missing stock page twins, and stock records up to the case count."""
        from django.apps import apps

        from casework.models import SupervisionCase

        self.stock_copies()
        if apps.is_installed("bench.stockpage"):
            from bench.stockpage.models import StockRecord

            missing = SupervisionCase.objects.count() - StockRecord.objects.count()
            self.stock_records(missing)

    # --- reports ------------------------------------------------------------------
    def report_with_receipt(self, case_id=None):
        """A report filed through reporting's service, as the public form
        does; returns it with its receipt code."""
        from reporting import services
        from reporting.models import Report

        real = self.rng.random() < 0.5
        report, code = services.submit_report(
            kind=Report.Kind.REAL_NAME if real else Report.Kind.ANONYMOUS,
            name=person_name(self.rng) if real else "",
            contact=f"1380000{self.rng.randint(0, 9999):04d}" if real else "",
            subject=f"{self.rng.choice(self.matters)}执法问题反映",
            description=self.sentence(),
            agency=self.rng.choice(self.agencies),
        )
        if case_id is not None:
            Report.objects.filter(pk=report.pk).update(case_id=case_id)
            report.case_id = case_id
        return report, code

    def reports(self, count: int) -> None:
        from casework.models import SupervisionCase

        case_ids = list(
            SupervisionCase.objects.order_by("-pk").values_list("pk", flat=True)[:count]
        )
        for n in range(count):
            linked = n % 3 == 0 and case_ids
            self.report_with_receipt(case_ids[n % len(case_ids)] if linked else None)
        self.say(f"reports: {count} filed through reporting.services")

    # --- search -----------------------------------------------------------------
    def index(self, keys_by_model: dict) -> None:
        from django.db import connection, transaction
        from wagtail.search.backends import get_search_backend

        backend = get_search_backend()
        started = time.perf_counter()
        total = 0
        for model, keys in keys_by_model.items():
            for start in range(0, len(keys), 500):
                objs = list(model.objects.filter(pk__in=keys[start : start + 500]))
                with transaction.atomic():
                    backend.add_bulk(model, objs)
                total += len(objs)
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(vacuum_or_analyze("wagtailsearch_indexentry"))
        self.say(
            f"search: {total} documents indexed in {time.perf_counter() - started:.0f}s"
        )


def minimal_site() -> None:
    """The least the generator builds on, made without the demo loader: a
    home page as the default site's root, the enforcement fields and the
    Licheng measures imported as a policy document. Idempotent."""
    from wagtail.models import Page, Site

    from casework.models import EnforcementField
    from casework.rules.articles import policy_text
    from portal.models import HomePage
    from publishing import services
    from publishing.models import PolicyDocumentPage

    home = HomePage.objects.first()
    if home is None:
        root = Page.get_first_root_node()
        root.get_children().filter(content_type__app_label="wagtailcore").delete()
        home = HomePage(title="历城区行政执法履职尽责容错纠错平台", slug="home")
        root.add_child(instance=home)
        home.save_revision().publish()
        Site.objects.all().delete()
        Site.objects.create(
            hostname="localhost", port=80, root_page=home, is_default_site=True
        )
    for name in ("市场监管", "城市管理", "生态环境", "应急管理", "交通运输"):
        EnforcementField.objects.get_or_create(name=name)
    if not PolicyDocumentPage.objects.exists():
        services.import_policy_text(policy_text())


def main_content(page) -> str:
    """What ``page`` shows an anonymous reader inside ``<main>``, without its
    first heading (the stock template writes its own): the body of its stock
    twin. Rendered through the whole stack, as the benchmark requests it."""
    import re

    from django.test import Client

    site = page.get_site()
    client = Client(HTTP_HOST=site.hostname, HTTP_X_FORWARDED_PROTO="https")
    response = client.get(page.relative_url(site), secure=True)
    if response.status_code != 200:
        raise SystemExit(f"{page.url}: HTTP {response.status_code}")
    html = response.content.decode()
    found = re.search(r"<main\b[^>]*>(.*)</main>", html, re.DOTALL)
    if found is None:
        raise SystemExit(f"{page.url}: no <main> element")
    return re.sub(r"<h1\b[^>]*>.*?</h1>", "", found.group(1), count=1, flags=re.DOTALL)


def target_notice():
    """The notice the runner measures: the middle generated one, or the demo's."""
    from publishing.models import ClarificationNoticePage

    notices = ClarificationNoticePage.objects.live().order_by("pk")
    count = notices.count()
    return notices[count // 2] if count else None


def generate(
    *,
    cases: int,
    notices: int,
    policies: int,
    articles: int,
    interpretations: int,
    reports: int,
    officers: int = 3000,
    investigators: int = 24,
    index: bool = True,
    seed: int = 2025,
    stdout=sys.stdout,
    require_bench_database: bool = True,
) -> None:
    """Everything, in order; the demo site must be loaded first. Only the
    tests pass ``require_bench_database=False`` (their database is a
    throwaway one named by the test runner)."""
    from django.db import connection

    from publishing.models import PolicyArticle

    if require_bench_database:
        check_database_name(connection.settings_dict["NAME"])
    gen = Generator(seed=seed, stdout=stdout)
    gen.reference_data(officers=officers, investigators=investigators)
    gen.cases(cases)
    notice_keys = gen.notices(notices)
    policy_keys = gen.policies(policies, articles)
    interpretation_keys = gen.interpretations(interpretations, policy_keys)
    gen.stock_copies()
    gen.stock_records(cases)
    gen.reports(reports)
    if connection.vendor == "postgresql":
        # What autovacuum does soon after a bulk load: planner statistics and
        # the visibility map (index-only scans, e.g. the case list's count).
        with connection.cursor() as cursor:
            cursor.execute(vacuum_or_analyze())
    if index:
        from publishing.models import (
            ClarificationNoticePage,
            InterpretationPage,
            PolicyDocumentPage,
        )

        article_keys = list(
            PolicyArticle.objects.filter(page_id__in=policy_keys).values_list(
                "pk", flat=True
            )
        )
        gen.index(
            {
                ClarificationNoticePage: notice_keys,
                PolicyDocumentPage: policy_keys,
                PolicyArticle: article_keys,
                InterpretationPage: interpretation_keys,
            }
        )


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--notices", type=int, default=20_000)
    parser.add_argument("--policies", type=int, default=1_000)
    parser.add_argument(
        "--articles", type=int, default=20, help="articles per policy document"
    )
    parser.add_argument("--interpretations", type=int, default=2_000)
    parser.add_argument("--reports", type=int, default=300)
    parser.add_argument("--no-index", action="store_true")
    parser.add_argument(
        "--no-demo",
        action="store_true",
        help="build a minimal site instead of running load_demo",
    )
    parser.add_argument("--seed", type=int, default=2025)
    parser.add_argument(
        "--stock-only",
        action="store_true",
        help="only add the stock baselines a database generated before them lacks",
    )
    args = parser.parse_args(argv)

    sys.path.insert(0, str(ROOT / "bench"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    from bench.settings_env import apply_bench_environment

    apply_bench_environment()
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    check_database_name(connection.settings_dict["NAME"])
    started = time.perf_counter()
    if args.stock_only:
        # Only the stock app's tables: the rest of the schema is left as the
        # full generation made it.
        call_command("migrate", "bench_stockpage", verbosity=0)
        gen = Generator(seed=args.seed)
        gen.stock_baselines()
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(vacuum_or_analyze("bench_stockpage_stockrecord"))
        print(f"done in {time.perf_counter() - started:.0f}s")
        return
    call_command("migrate", verbosity=0)
    if args.no_demo:
        minimal_site()
    else:
        call_command("load_demo", allow_production=True, verbosity=0)
    generate(
        cases=args.cases,
        notices=args.notices,
        policies=args.policies,
        articles=args.articles,
        interpretations=args.interpretations,
        reports=args.reports,
        index=not args.no_index,
        seed=args.seed,
    )
    print(f"done in {time.perf_counter() - started:.0f}s")


if __name__ == "__main__":
    main()
