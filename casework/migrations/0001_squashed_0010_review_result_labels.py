"""The casework migrations 0001-0010 as one, for new databases.

A database that has applied some of 0001-0010 keeps migrating with those
files (kept alongside); a new one gets the final tables in one step, then
the data of those migrations in their order: the roles with their
permissions (0002, 0004, 0006, 0007), the task schedules (0004) and the
measure's validity period (0005).

Two data migrations are left out: they only rewrite casework rows that exist
before them (0005 ``carry_overrides``: determinations with an override;
0006 ``fill_next_due``: open cases), and a database this migration runs on
has no casework table before it.

It depends on wagtailcore's last migration, which casework does not need:
a new database then builds Wagtail's core tables before these models enter
the migration state, and each of Wagtail's steps re-renders far fewer models
(a fresh ``migrate``: 52 s of CPU with 0001-0010, 39 s with this). The
portal's and publishing's first migrations depend on it too, so every
database of the portal has it. Not on Wagtail's other apps: their data
migrations give the "choose" permissions to the groups that exist when they
run (these roles among them), so those still come after this one.

A new database gets the same tables, rows and group permissions as with
0001-0010, less four orphan permissions (``add_pagerevision`` and the like
on wagtailcore's ``revision``) that 0002's create_permissions used to write
while Wagtail's page revisions still had their old model name.
"""

import datetime
from zoneinfo import ZoneInfo

import casework.models.investigation
import casework.models.oversight
import casework.rules.stages
import django.core.validators
import django.db.models.deletion
import django.utils.timezone
import modelsearch.index
import simple_history.models
from django.conf import settings
from django.db import migrations, models


# --- 0002_roles -------------------------------------------------------------
OFFICER = "监督机构工作人员"
HEAD = "监督机构负责人"
LIAISON = "执法机关联络员"
REVIEWER = "复核人员"

CASE_MODELS = [
    "supervisioncase", "caseofficer", "assignment", "activity", "attachment",
    "statement", "transfer", "hearing", "extension", "determination",
    "notification", "casedocument", "review", "correction", "correctionprogress",
    "correctionextension", "recusal",
]
REFERENCE_MODELS = ["agency", "officer", "enforcementfield", "calendarday"]

ROLE_PERMISSIONS = {
    OFFICER: [f"{action}_{model}" for model in CASE_MODELS for action in ("add", "change", "view")]
    + [f"view_{model}" for model in REFERENCE_MODELS]
    + ["determine_case"],
    HEAD: [f"{action}_{model}" for model in CASE_MODELS + REFERENCE_MODELS for action in ("add", "change", "view")]
    + ["approve_requests", "determine_case", "decide_review"],
    LIAISON: ["view_supervisioncase", "view_transfer", "change_transfer", "view_correction",
              "add_correctionprogress", "view_correctionprogress", "add_correctionextension",
              "add_attachment", "view_attachment"],
    REVIEWER: ["view_supervisioncase", "view_review", "change_review", "decide_review",
               "view_determination"],
}


def _create_permissions(apps):
    from django.contrib.auth.management import create_permissions

    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None


def _grant(apps, grants):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in grants.items():
        group = Group.objects.filter(name=name).first()
        if group is not None:
            group.permissions.add(
                *Permission.objects.filter(
                    content_type__app_label="casework", codename__in=codenames
                )
            )


def create_roles(apps, schema_editor):
    _create_permissions(apps)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    admin_access = Permission.objects.get(
        content_type__app_label="wagtailadmin", codename="access_admin"
    )
    for name, codenames in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=name)
        perms = Permission.objects.filter(
            content_type__app_label="casework", codename__in=codenames
        )
        group.permissions.add(admin_access, *perms)


def remove_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=ROLE_PERMISSIONS).delete()


# --- 0004_oversight_schedules -----------------------------------------------
SCHEDULES = {
    "casework-deadline-check": ("casework.tasks.check_deadlines", 1, 0),
    "casework-risk-points": ("casework.tasks.detect_risk_points", 1, 30),
    "casework-periodic-reports": ("casework.tasks.generate_due_reports", 2, 0),
}

OVERSIGHT_PERMISSIONS = {
    OFFICER: ["view_deadlinewarning", "view_periodicreport", "add_periodicreport",
              "view_riskpoint", "change_riskpoint", "view_riskwarning",
              "add_riskwarning", "change_riskwarning"],
    HEAD: ["view_deadlinewarning", "view_periodicreport", "add_periodicreport",
           "view_riskpoint", "change_riskpoint", "view_riskwarning",
           "add_riskwarning", "change_riskwarning", "change_oversightsettings"],
    LIAISON: ["view_riskwarning", "change_riskwarning", "view_riskpoint"],
}


def next_run(hour: int, minute: int) -> datetime.datetime:
    zone = ZoneInfo("Asia/Shanghai")
    now = datetime.datetime.now(zone)
    run = now.replace(hour=hour, minute=minute, second=0, microsecond=0)
    if run <= now:
        run += datetime.timedelta(days=1)
    return run


def create_schedules(apps, schema_editor):
    Schedule = apps.get_model("django_q", "Schedule")
    for name, (func, hour, minute) in SCHEDULES.items():
        Schedule.objects.update_or_create(
            name=name,
            defaults={
                "func": func,
                "schedule_type": "D",
                "repeats": -1,
                "next_run": next_run(hour, minute),
            },
        )
    _create_permissions(apps)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in OVERSIGHT_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.add(
            *Permission.objects.filter(
                content_type__app_label="casework", codename__in=codenames
            )
        )


def remove_schedules(apps, schema_editor):
    apps.get_model("django_q", "Schedule").objects.filter(name__in=SCHEDULES).delete()


# --- 0005_legal_exactness ---------------------------------------------------
def seed_validity(apps, schema_editor):
    """Art. 24: the measure applies from 2025-03-01 to 2027-02-28."""
    MeasureValidity = apps.get_model("casework", "MeasureValidity")
    MeasureValidity.objects.get_or_create(
        document_number="济历城政发〔2025〕1号",
        defaults={
            "title": "历城区行政执法履职尽责容错纠错实施办法（试行）",
            "effective_from": datetime.date(2025, 3, 1),
            "effective_until": datetime.date(2027, 2, 28),
            "basis": "第二十四条：本规定自2025年3月1日起施行，有效期至2027年2月28日止。",
        },
    )


# --- 0006_deadline_engine ---------------------------------------------------
def grant_calendar_year(apps, schema_editor):
    _create_permissions(apps)
    _grant(
        apps,
        {
            HEAD: ["add_calendaryear", "change_calendaryear", "view_calendaryear"],
            OFFICER: ["view_calendaryear"],
        },
    )


# --- 0007_measure_validity_admin --------------------------------------------
def grant_measure_validity(apps, schema_editor):
    _create_permissions(apps)
    _grant(
        apps,
        {
            HEAD: ["add_measurevalidity", "change_measurevalidity", "view_measurevalidity"],
            OFFICER: ["view_measurevalidity"],
        },
    )


class Migration(migrations.Migration):

    replaces = [
        ('casework', '0001_initial'),
        ('casework', '0002_roles'),
        ('casework', '0003_oversight'),
        ('casework', '0004_oversight_schedules'),
        ('casework', '0005_legal_exactness'),
        ('casework', '0006_deadline_engine'),
        ('casework', '0007_measure_validity_admin'),
        ('casework', '0008_case_list_indexes'),
        ('casework', '0009_choice_labels_in_english'),
        ('casework', '0010_review_result_labels'),
    ]

    initial = True

    dependencies = [
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("wagtailadmin", "0001_create_admin_access_permissions"),
        ("django_q", "0019_alter_task_options_alter_ormq_key_alter_ormq_lock_and_more"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [
        migrations.CreateModel(
            name='CalendarDay',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('date', models.DateField(unique=True, verbose_name='date')),
                ('kind', models.CharField(choices=[('holiday', 'statutory holiday (day off)'), ('workday', 'adjusted working day')], max_length=10, verbose_name='kind')),
                ('note', models.CharField(blank=True, max_length=100, verbose_name='note')),
                ('updated_at', models.DateTimeField(auto_now=True)),
            ],
            options={
                'verbose_name': 'holiday calendar day',
                'verbose_name_plural': 'holiday calendar days',
                'ordering': ['date'],
            },
        ),
        migrations.CreateModel(
            name='CalendarYear',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('year', models.PositiveSmallIntegerField(unique=True, verbose_name='year')),
                ('confirmed', models.BooleanField(default=False, verbose_name='arrangement confirmed')),
                ('note', models.CharField(blank=True, max_length=200, verbose_name='note (e.g. the State Council notice)')),
                ('updated_at', models.DateTimeField(auto_now=True)),
            ],
            options={
                'verbose_name': 'holiday calendar year',
                'verbose_name_plural': 'holiday calendar years',
                'ordering': ['year'],
            },
        ),
        migrations.CreateModel(
            name='EnforcementField',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('name', models.CharField(max_length=50, unique=True, verbose_name='name')),
            ],
            options={
                'verbose_name': 'enforcement field',
                'verbose_name_plural': 'enforcement fields',
                'ordering': ['name'],
            },
        ),
        migrations.CreateModel(
            name='OversightSettings',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('warning_days', models.PositiveSmallIntegerField(default=3, help_text='A yellow warning is sent this many calendar days before the last day of a statutory period; a red one once it has passed.', validators=[django.core.validators.MinValueValidator(1), django.core.validators.MaxValueValidator(15)], verbose_name='yellow warning days before a deadline')),
                ('risk_threshold', models.PositiveSmallIntegerField(default=3, help_text='A risk point is opened when the same error type is found in at least this many cases of one enforcement field or one agency (Art. 21).', validators=[django.core.validators.MinValueValidator(2), django.core.validators.MaxValueValidator(100)], verbose_name='risk point threshold (cases)')),
                ('risk_window_days', models.PositiveSmallIntegerField(default=180, help_text='The rolling window, ending today, in which cases are counted.', validators=[django.core.validators.MinValueValidator(30), django.core.validators.MaxValueValidator(730)], verbose_name='risk point window (days)')),
            ],
            options={
                'verbose_name': 'deadline warning and risk point settings',
                'verbose_name_plural': 'deadline warning and risk point settings',
            },
        ),
        migrations.CreateModel(
            name='Activity',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='created at')),
                ('kind', models.CharField(choices=[('written_review', 'documentary review'), ('inquiry', 'questioning and evidence taking'), ('on_site', 'on-site investigation or inspection'), ('appraisal', 'commissioned appraisal (assessment, testing)')], max_length=20, verbose_name='kind')),
                ('occurred_on', models.DateField(verbose_name='date')),
                ('summary', models.TextField(verbose_name='summary')),
                ('appraisal_body', models.CharField(blank=True, max_length=100, verbose_name='appraisal body')),
                ('appraisal_started_on', models.DateField(blank=True, null=True, verbose_name='appraisal commissioned on')),
                ('appraisal_ended_on', models.DateField(blank=True, null=True, verbose_name='appraisal report received on')),
                ('created_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='created by')),
            ],
            options={
                'verbose_name': 'investigation activity',
                'verbose_name_plural': 'investigation activities',
                'ordering': ['occurred_on', 'pk'],
            },
        ),
        migrations.CreateModel(
            name='CaseOfficer',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='created at')),
                ('error_type', models.CharField(choices=[('evidence', 'insufficient evidence or facts wrongly found'), ('procedure', 'statutory procedure violated'), ('legal_basis', 'wrong legal basis applied'), ('discretion', 'discretion clearly improper'), ('time_limit', 'statutory time limit exceeded'), ('omission', 'statutory duty not performed or delayed'), ('publicity', 'publicity, full-process recording or legal review system not applied'), ('conduct', 'irregular enforcement conduct'), ('other', 'other')], max_length=20, verbose_name='error type at issue')),
                ('created_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='created by')),
            ],
            options={
                'verbose_name': 'officer concerned',
                'verbose_name_plural': 'officers concerned',
            },
        ),
        migrations.CreateModel(
            name='Correction',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='created at')),
                ('reasons', models.TextField(verbose_name='reasons (纠错事由)')),
                ('items', models.TextField(verbose_name='items (纠错事项)')),
                ('requirements', models.TextField(verbose_name='requirements or suggestions')),
                ('deadline', models.DateField(verbose_name='deadline')),
                ('status', models.CharField(choices=[('open', 'rectification under way'), ('reported', 'reported complete, to be verified'), ('verified', 'verified complete')], default='open', max_length=20)),
                ('verified_on', models.DateField(blank=True, null=True)),
                ('created_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='created by')),
                ('verified_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'verbose_name': 'correction',
                'verbose_name_plural': 'corrections',
            },
        ),
        migrations.CreateModel(
            name='CorrectionExtension',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='created at')),
                ('status', models.CharField(choices=[('pending', 'pending approval'), ('approved', 'approved'), ('rejected', 'Not approved')], default='pending', max_length=20, verbose_name='status')),
                ('decided_at', models.DateTimeField(blank=True, null=True, verbose_name='decided at')),
                ('requested_deadline', models.DateField(verbose_name='requested deadline')),
                ('reason', models.TextField(verbose_name='special circumstances')),
                ('correction', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='extensions', to='casework.correction')),
                ('created_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='created by')),
                ('decided_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='decided by')),
            ],
            options={
                'verbose_name': 'correction extension',
                'verbose_name_plural': 'correction extensions',
            },
        ),
        migrations.CreateModel(
            name='CorrectionProgress',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='created at')),
                ('reported_on', models.DateField(verbose_name='reported on')),
                ('content', models.TextField(verbose_name='progress')),
                ('completed', models.BooleanField(default=False, verbose_name='reports completion')),
                ('correction', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='progress_reports', to='casework.correction')),
                ('created_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='created by')),
            ],
            options={
                'verbose_name': 'correction progress report',
                'verbose_name_plural': 'correction progress reports',
                'ordering': ['reported_on', 'pk'],
            },
        ),
        migrations.CreateModel(
            name='Determination',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='created at')),
                ('outcome', models.CharField(choices=[('duty_fulfilled', '履职尽责'), ('lighter', '从轻处理'), ('reduced', '减轻处理'), ('exempt', '免责'), ('mitigation_lighter', '从轻追究责任'), ('mitigation_reduced', '减轻追究责任'), ('no_tolerance', '不予容错')], max_length=30, verbose_name='outcome')),
                ('basis', models.JSONField(default=list, verbose_name='items relied on')),
                ('facts', models.TextField(verbose_name='facts found')),
                ('distinction_reform', models.TextField(verbose_name='reform and pilot mistake, or knowing violation? (Art. 2)')),
                ('distinction_exploration', models.TextField(verbose_name='exploration without explicit limits, or defiance of a ban? (Art. 2)')),
                ('distinction_intent', models.TextField(verbose_name='unintentional fault for development, or private gain? (Art. 2)')),
                ('counts_as_error', models.BooleanField(editable=False, verbose_name='counted as an enforcement error')),
                ('prior_exemptions', models.JSONField(default=list, editable=False)),
                ('prior_determinations', models.JSONField(default=list, editable=False)),
                ('repeat_finding', models.CharField(blank=True, choices=[('not_applicable', '不适用第十二条第（五）项'), ('same_problem', '因主观原因在同一问题上重复出现失误、错误'), ('after_exemption', '给予容错免责处理后再次出现同样失误、错误')], max_length=20, verbose_name='finding on Art. 12(5)')),
                ('repeat_reasons', models.TextField(blank=True, verbose_name='reasons for the Art. 12(5) finding')),
                ('repeat_conduct_on', models.DateField(blank=True, null=True, verbose_name='date of the error at issue (Art. 12(5), second limb)')),
                ('liability_referred_on', models.DateField(blank=True, null=True, verbose_name='handed to the error-liability procedure on (Art. 18)')),
                ('liability_referred_to', models.CharField(blank=True, max_length=100, verbose_name='handed to')),
                ('decided_on', models.DateField(verbose_name='decided on')),
                ('round', models.PositiveIntegerField(default=1, editable=False, verbose_name='decision round')),
                ('case_officer', models.OneToOneField(on_delete=django.db.models.deletion.PROTECT, related_name='determination', to='casework.caseofficer')),
                ('created_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='created by')),
            ],
            options={
                'verbose_name': 'determination',
                'verbose_name_plural': 'determinations',
            },
        ),
        migrations.CreateModel(
            name='Agency',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('name', models.CharField(max_length=100, unique=True, verbose_name='name')),
                ('kind', models.CharField(choices=[('street', 'street office'), ('department', 'district department'), ('authorized', 'authorized or entrusted organization')], max_length=20, verbose_name='kind')),
                ('is_active', models.BooleanField(default=True, verbose_name='active')),
                ('fields', models.ManyToManyField(blank=True, to='casework.enforcementfield', verbose_name='enforcement fields')),
            ],
            options={
                'verbose_name': 'enforcement agency',
                'verbose_name_plural': 'enforcement agencies',
                'ordering': ['name'],
            },
            bases=(modelsearch.index.Indexed, models.Model),
        ),
        migrations.CreateModel(
            name='HistoricalAgency',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('name', models.CharField(db_index=True, max_length=100, verbose_name='name')),
                ('kind', models.CharField(choices=[('street', 'street office'), ('department', 'district department'), ('authorized', 'authorized or entrusted organization')], max_length=20, verbose_name='kind')),
                ('is_active', models.BooleanField(default=True, verbose_name='active')),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.CharField(max_length=100, null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'verbose_name': 'historical enforcement agency',
                'verbose_name_plural': 'historical enforcement agencies',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name='HistoricalCalendarDay',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('date', models.DateField(db_index=True, verbose_name='date')),
                ('kind', models.CharField(choices=[('holiday', 'statutory holiday (day off)'), ('workday', 'adjusted working day')], max_length=10, verbose_name='kind')),
                ('note', models.CharField(blank=True, max_length=100, verbose_name='note')),
                ('updated_at', models.DateTimeField(blank=True, editable=False)),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.CharField(max_length=100, null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'verbose_name': 'historical holiday calendar day',
                'verbose_name_plural': 'historical holiday calendar days',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name='HistoricalCalendarYear',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('year', models.PositiveSmallIntegerField(db_index=True, verbose_name='year')),
                ('confirmed', models.BooleanField(default=False, verbose_name='arrangement confirmed')),
                ('note', models.CharField(blank=True, max_length=200, verbose_name='note (e.g. the State Council notice)')),
                ('updated_at', models.DateTimeField(blank=True, editable=False)),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.CharField(max_length=100, null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'verbose_name': 'historical holiday calendar year',
                'verbose_name_plural': 'historical holiday calendar years',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name='HistoricalCorrectionExtension',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('created_at', models.DateTimeField(blank=True, editable=False, verbose_name='created at')),
                ('status', models.CharField(choices=[('pending', 'pending approval'), ('approved', 'approved'), ('rejected', 'Not approved')], default='pending', max_length=20, verbose_name='status')),
                ('decided_at', models.DateTimeField(blank=True, null=True, verbose_name='decided at')),
                ('requested_deadline', models.DateField(verbose_name='requested deadline')),
                ('reason', models.TextField(verbose_name='special circumstances')),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.CharField(max_length=100, null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                ('correction', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='casework.correction')),
                ('created_by', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='created by')),
                ('decided_by', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='decided by')),
                ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'verbose_name': 'historical correction extension',
                'verbose_name_plural': 'historical correction extensions',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name='HistoricalCorrectionProgress',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('created_at', models.DateTimeField(blank=True, editable=False, verbose_name='created at')),
                ('reported_on', models.DateField(verbose_name='reported on')),
                ('content', models.TextField(verbose_name='progress')),
                ('completed', models.BooleanField(default=False, verbose_name='reports completion')),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.CharField(max_length=100, null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                ('correction', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='casework.correction')),
                ('created_by', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='created by')),
                ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'verbose_name': 'historical correction progress report',
                'verbose_name_plural': 'historical correction progress reports',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name='HistoricalDetermination',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('created_at', models.DateTimeField(blank=True, editable=False, verbose_name='created at')),
                ('outcome', models.CharField(choices=[('duty_fulfilled', '履职尽责'), ('lighter', '从轻处理'), ('reduced', '减轻处理'), ('exempt', '免责'), ('mitigation_lighter', '从轻追究责任'), ('mitigation_reduced', '减轻追究责任'), ('no_tolerance', '不予容错')], max_length=30, verbose_name='outcome')),
                ('basis', models.JSONField(default=list, verbose_name='items relied on')),
                ('facts', models.TextField(verbose_name='facts found')),
                ('distinction_reform', models.TextField(verbose_name='reform and pilot mistake, or knowing violation? (Art. 2)')),
                ('distinction_exploration', models.TextField(verbose_name='exploration without explicit limits, or defiance of a ban? (Art. 2)')),
                ('distinction_intent', models.TextField(verbose_name='unintentional fault for development, or private gain? (Art. 2)')),
                ('counts_as_error', models.BooleanField(editable=False, verbose_name='counted as an enforcement error')),
                ('prior_exemptions', models.JSONField(default=list, editable=False)),
                ('prior_determinations', models.JSONField(default=list, editable=False)),
                ('repeat_finding', models.CharField(blank=True, choices=[('not_applicable', '不适用第十二条第（五）项'), ('same_problem', '因主观原因在同一问题上重复出现失误、错误'), ('after_exemption', '给予容错免责处理后再次出现同样失误、错误')], max_length=20, verbose_name='finding on Art. 12(5)')),
                ('repeat_reasons', models.TextField(blank=True, verbose_name='reasons for the Art. 12(5) finding')),
                ('repeat_conduct_on', models.DateField(blank=True, null=True, verbose_name='date of the error at issue (Art. 12(5), second limb)')),
                ('liability_referred_on', models.DateField(blank=True, null=True, verbose_name='handed to the error-liability procedure on (Art. 18)')),
                ('liability_referred_to', models.CharField(blank=True, max_length=100, verbose_name='handed to')),
                ('decided_on', models.DateField(verbose_name='decided on')),
                ('round', models.PositiveIntegerField(default=1, editable=False, verbose_name='decision round')),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.CharField(max_length=100, null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                ('case_officer', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='casework.caseofficer')),
                ('created_by', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='created by')),
                ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'verbose_name': 'historical determination',
                'verbose_name_plural': 'historical determinations',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name='HistoricalLiaisonAssignment',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.CharField(max_length=100, null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                ('agency', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='casework.agency', verbose_name='agency')),
                ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('user', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='user')),
            ],
            options={
                'verbose_name': 'historical agency liaison',
                'verbose_name_plural': 'historical agency liaisons',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name='HistoricalMeasureValidity',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('title', models.CharField(max_length=200, verbose_name='title')),
                ('document_number', models.CharField(max_length=60, verbose_name='document number')),
                ('effective_from', models.DateField(verbose_name='in force from')),
                ('effective_until', models.DateField(blank=True, help_text='Empty: no expiry date is set.', null=True, verbose_name='in force until')),
                ('basis', models.CharField(help_text='e.g. Art. 24 of the measure, or the extension notice.', max_length=200, verbose_name='where the dates come from')),
                ('updated_at', models.DateTimeField(blank=True, editable=False)),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.CharField(max_length=100, null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'verbose_name': 'historical measure validity',
                'verbose_name_plural': 'historical measure validities',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name='HistoricalOfficer',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('name', models.CharField(max_length=50, verbose_name='name')),
                ('status', models.CharField(choices=[('certified', 'certified enforcement officer'), ('uncertified', 'staff without enforcement certificate'), ('auxiliary', 'enforcement auxiliary')], default='certified', max_length=20, verbose_name='status')),
                ('certificate_number', models.CharField(blank=True, max_length=40, verbose_name='enforcement certificate number')),
                ('position', models.CharField(blank=True, max_length=50, verbose_name='position')),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.CharField(max_length=100, null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                ('agency', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='casework.agency', verbose_name='agency')),
                ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'verbose_name': 'historical enforcement officer',
                'verbose_name_plural': 'historical enforcement officers',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name='HistoricalRiskPoint',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('scope', models.CharField(choices=[('field', 'same enforcement field'), ('agency', 'same enforcement agency')], max_length=10, verbose_name='scope')),
                ('error_type', models.CharField(choices=[('evidence', 'insufficient evidence or facts wrongly found'), ('procedure', 'statutory procedure violated'), ('legal_basis', 'wrong legal basis applied'), ('discretion', 'discretion clearly improper'), ('time_limit', 'statutory time limit exceeded'), ('omission', 'statutory duty not performed or delayed'), ('publicity', 'publicity, full-process recording or legal review system not applied'), ('conduct', 'irregular enforcement conduct'), ('other', 'other')], max_length=20, verbose_name='error type')),
                ('case_count', models.PositiveIntegerField(default=0, verbose_name='number of cases')),
                ('threshold', models.PositiveSmallIntegerField(verbose_name='threshold when detected')),
                ('window_days', models.PositiveSmallIntegerField(verbose_name='window (days)')),
                ('first_detected_on', models.DateField(verbose_name='first detected on')),
                ('last_detected_on', models.DateField(verbose_name='last detected on')),
                ('status', models.CharField(choices=[('open', 'to be analysed'), ('warned', 'warned'), ('closed', 'closed out')], default='open', max_length=10, verbose_name='status')),
                ('analysis', models.TextField(blank=True, verbose_name='analysis of the root cause')),
                ('closed_on', models.DateField(blank=True, null=True, verbose_name='closed on')),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.CharField(max_length=100, null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                ('agency', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='casework.agency', verbose_name='enforcement agency')),
                ('field', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='casework.enforcementfield', verbose_name='enforcement field')),
                ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'verbose_name': 'historical risk point',
                'verbose_name_plural': 'historical risk points',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name='HistoricalStatement',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('created_at', models.DateTimeField(blank=True, editable=False, verbose_name='created at')),
                ('heard_on', models.DateField(verbose_name='heard on')),
                ('content', models.TextField(blank=True, verbose_name='statement and defense')),
                ('waived', models.BooleanField(default=False, verbose_name='the person waived in writing')),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.CharField(max_length=100, null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                ('case_officer', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='casework.caseofficer')),
                ('created_by', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='created by')),
                ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'verbose_name': 'historical statement and defense',
                'verbose_name_plural': 'historical statements and defenses',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name='HistoricalSupervisionCase',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('created_at', models.DateTimeField(blank=True, editable=False, verbose_name='created at')),
                ('year', models.PositiveIntegerField(editable=False, verbose_name='year')),
                ('sequence', models.PositiveIntegerField(editable=False, verbose_name='sequence')),
                ('number', models.CharField(db_index=True, editable=False, max_length=40, verbose_name='case number')),
                ('title', models.CharField(max_length=200, verbose_name='title')),
                ('matter_type', models.CharField(choices=[('penalty', '行政处罚'), ('licensing', '行政许可'), ('compulsion', '行政强制'), ('inspection', '行政检查'), ('fee', '行政收费'), ('confirmation', '行政确认'), ('registration', '行政登记'), ('benefit', '行政给付'), ('adjudication', '行政裁决'), ('expropriation', '行政征收征用')], max_length=20, verbose_name='enforcement matter')),
                ('source', models.CharField(choices=[('report', 'reports'), ('inspection', 'found by supervision and inspection'), ('referral', 'referred by another organ')], max_length=20, verbose_name='source')),
                ('summary', models.TextField(verbose_name='summary of the enforcement act under review')),
                ('stage', models.CharField(choices=[('filed', '立案'), ('verifying', '核实'), ('determined', '认定'), ('notified', '反馈'), ('correcting', '纠错'), ('archived', '归档')], db_index=True, default=casework.rules.stages.Stage['FILED'], editable=False, max_length=20, verbose_name='stage')),
                ('filed_on', models.DateField(default=django.utils.timezone.localdate, verbose_name='filed on')),
                ('is_major_complex', models.BooleanField(default=False, verbose_name='major and complex (a hearing may be held, Art. 14)')),
                ('joint_investigation', models.BooleanField(default=False, verbose_name='joint investigation with the discipline inspection organ (Art. 13)')),
                ('joint_counterpart', models.CharField(blank=True, max_length=100, verbose_name='discipline inspection counterpart')),
                ('joint_since', models.DateField(blank=True, null=True, verbose_name='joint investigation since')),
                ('correction_required', models.BooleanField(default=False, editable=False, verbose_name='correction required (Art. 20)')),
                ('decision_due', models.DateField(editable=False, null=True, verbose_name='decision due')),
                ('decided_on', models.DateField(blank=True, editable=False, null=True, verbose_name='decided on')),
                ('notification_due', models.DateField(editable=False, null=True, verbose_name='notification due')),
                ('notified_on', models.DateField(blank=True, editable=False, null=True, verbose_name='notified on')),
                ('next_due', models.DateField(editable=False, null=True, verbose_name='next period ends')),
                ('archived_at', models.DateTimeField(editable=False, null=True, verbose_name='archived at')),
                ('decision_round', models.PositiveIntegerField(default=1, editable=False, verbose_name='decision round')),
                ('reopened_on', models.DateField(editable=False, null=True, verbose_name='reopened on')),
                ('act_finding', models.CharField(blank=True, choices=[('lawful', 'nothing unlawful or improper found'), ('unlawful', 'unlawful'), ('improper', 'improper')], editable=False, max_length=20, verbose_name='finding on the enforcement act (Art. 18)')),
                ('act_finding_reasons', models.TextField(blank=True, editable=False, verbose_name='reasons for the finding on the act')),
                ('act_found_on', models.DateField(blank=True, editable=False, null=True, verbose_name='act finding recorded on')),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.CharField(max_length=100, null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                ('agency', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='casework.agency', verbose_name='enforcement agency')),
                ('created_by', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='created by')),
                ('field', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='casework.enforcementfield', verbose_name='enforcement field')),
                ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'verbose_name': 'historical supervision case',
                'verbose_name_plural': 'historical supervision cases',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name='MeasureValidity',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('title', models.CharField(max_length=200, verbose_name='title')),
                ('document_number', models.CharField(max_length=60, verbose_name='document number')),
                ('effective_from', models.DateField(verbose_name='in force from')),
                ('effective_until', models.DateField(blank=True, help_text='Empty: no expiry date is set.', null=True, verbose_name='in force until')),
                ('basis', models.CharField(help_text='e.g. Art. 24 of the measure, or the extension notice.', max_length=200, verbose_name='where the dates come from')),
                ('updated_at', models.DateTimeField(auto_now=True)),
            ],
            options={
                'verbose_name': 'measure validity',
                'verbose_name_plural': 'measure validities',
                'ordering': ['effective_from', 'pk'],
                'constraints': [models.CheckConstraint(condition=models.Q(('effective_until__isnull', True), ('effective_until__gte', models.F('effective_from')), _connector='OR'), name='measure_validity_order', violation_error_message='The period cannot end before it begins.')],
            },
        ),
        migrations.CreateModel(
            name='Officer',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('name', models.CharField(max_length=50, verbose_name='name')),
                ('status', models.CharField(choices=[('certified', 'certified enforcement officer'), ('uncertified', 'staff without enforcement certificate'), ('auxiliary', 'enforcement auxiliary')], default='certified', max_length=20, verbose_name='status')),
                ('certificate_number', models.CharField(blank=True, max_length=40, verbose_name='enforcement certificate number')),
                ('position', models.CharField(blank=True, max_length=50, verbose_name='position')),
                ('agency', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='officers', to='casework.agency', verbose_name='agency')),
            ],
            options={
                'verbose_name': 'enforcement officer',
                'verbose_name_plural': 'enforcement officers',
                'ordering': ['agency__name', 'name'],
            },
            bases=(modelsearch.index.Indexed, models.Model),
        ),
        migrations.AddField(
            model_name='caseofficer',
            name='officer',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='case_links', to='casework.officer', verbose_name='officer'),
        ),
        migrations.CreateModel(
            name='RiskPoint',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('scope', models.CharField(choices=[('field', 'same enforcement field'), ('agency', 'same enforcement agency')], max_length=10, verbose_name='scope')),
                ('error_type', models.CharField(choices=[('evidence', 'insufficient evidence or facts wrongly found'), ('procedure', 'statutory procedure violated'), ('legal_basis', 'wrong legal basis applied'), ('discretion', 'discretion clearly improper'), ('time_limit', 'statutory time limit exceeded'), ('omission', 'statutory duty not performed or delayed'), ('publicity', 'publicity, full-process recording or legal review system not applied'), ('conduct', 'irregular enforcement conduct'), ('other', 'other')], max_length=20, verbose_name='error type')),
                ('case_count', models.PositiveIntegerField(default=0, verbose_name='number of cases')),
                ('threshold', models.PositiveSmallIntegerField(verbose_name='threshold when detected')),
                ('window_days', models.PositiveSmallIntegerField(verbose_name='window (days)')),
                ('first_detected_on', models.DateField(verbose_name='first detected on')),
                ('last_detected_on', models.DateField(verbose_name='last detected on')),
                ('status', models.CharField(choices=[('open', 'to be analysed'), ('warned', 'warned'), ('closed', 'closed out')], default='open', max_length=10, verbose_name='status')),
                ('analysis', models.TextField(blank=True, verbose_name='analysis of the root cause')),
                ('closed_on', models.DateField(blank=True, null=True, verbose_name='closed on')),
                ('agency', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='risk_points', to='casework.agency', verbose_name='enforcement agency')),
                ('field', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='risk_points', to='casework.enforcementfield', verbose_name='enforcement field')),
            ],
            options={
                'verbose_name': 'risk point',
                'verbose_name_plural': 'risk points',
                'ordering': ['-last_detected_on', '-pk'],
            },
        ),
        migrations.CreateModel(
            name='HistoricalRiskWarning',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('created_at', models.DateTimeField(blank=True, editable=False, verbose_name='created at')),
                ('content', models.TextField(verbose_name='warning (risk and root cause)')),
                ('requirements', models.TextField(verbose_name='requirements')),
                ('deadline', models.DateField(verbose_name='deadline for the report')),
                ('issued_on', models.DateField(verbose_name='issued on')),
                ('status', models.CharField(choices=[('open', 'rectification under way'), ('reported', 'reported, to be verified'), ('verified', 'verified')], default='open', max_length=10, verbose_name='status')),
                ('reported_on', models.DateField(blank=True, null=True, verbose_name='reported on')),
                ('report', models.TextField(blank=True, verbose_name='measures taken')),
                ('verified_on', models.DateField(blank=True, null=True, verbose_name='verified on')),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.CharField(max_length=100, null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                ('agency', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='casework.agency', verbose_name='enforcement agency')),
                ('created_by', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='created by')),
                ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('verified_by', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='verified by')),
                ('risk_point', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='casework.riskpoint', verbose_name='risk point')),
            ],
            options={
                'verbose_name': 'historical risk warning',
                'verbose_name_plural': 'historical risk warnings',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name='Statement',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='created at')),
                ('heard_on', models.DateField(verbose_name='heard on')),
                ('content', models.TextField(blank=True, verbose_name='statement and defense')),
                ('waived', models.BooleanField(default=False, verbose_name='the person waived in writing')),
                ('case_officer', models.OneToOneField(on_delete=django.db.models.deletion.PROTECT, related_name='statement', to='casework.caseofficer')),
                ('created_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='created by')),
            ],
            options={
                'verbose_name': 'statement and defense',
                'verbose_name_plural': 'statements and defenses',
            },
        ),
        migrations.CreateModel(
            name='SupervisionCase',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='created at')),
                ('year', models.PositiveIntegerField(editable=False, verbose_name='year')),
                ('sequence', models.PositiveIntegerField(editable=False, verbose_name='sequence')),
                ('number', models.CharField(editable=False, max_length=40, unique=True, verbose_name='case number')),
                ('title', models.CharField(max_length=200, verbose_name='title')),
                ('matter_type', models.CharField(choices=[('penalty', '行政处罚'), ('licensing', '行政许可'), ('compulsion', '行政强制'), ('inspection', '行政检查'), ('fee', '行政收费'), ('confirmation', '行政确认'), ('registration', '行政登记'), ('benefit', '行政给付'), ('adjudication', '行政裁决'), ('expropriation', '行政征收征用')], max_length=20, verbose_name='enforcement matter')),
                ('source', models.CharField(choices=[('report', 'reports'), ('inspection', 'found by supervision and inspection'), ('referral', 'referred by another organ')], max_length=20, verbose_name='source')),
                ('summary', models.TextField(verbose_name='summary of the enforcement act under review')),
                ('stage', models.CharField(choices=[('filed', '立案'), ('verifying', '核实'), ('determined', '认定'), ('notified', '反馈'), ('correcting', '纠错'), ('archived', '归档')], db_index=True, default=casework.rules.stages.Stage['FILED'], editable=False, max_length=20, verbose_name='stage')),
                ('filed_on', models.DateField(default=django.utils.timezone.localdate, verbose_name='filed on')),
                ('is_major_complex', models.BooleanField(default=False, verbose_name='major and complex (a hearing may be held, Art. 14)')),
                ('joint_investigation', models.BooleanField(default=False, verbose_name='joint investigation with the discipline inspection organ (Art. 13)')),
                ('joint_counterpart', models.CharField(blank=True, max_length=100, verbose_name='discipline inspection counterpart')),
                ('joint_since', models.DateField(blank=True, null=True, verbose_name='joint investigation since')),
                ('correction_required', models.BooleanField(default=False, editable=False, verbose_name='correction required (Art. 20)')),
                ('decision_due', models.DateField(editable=False, null=True, verbose_name='decision due')),
                ('decided_on', models.DateField(blank=True, editable=False, null=True, verbose_name='decided on')),
                ('notification_due', models.DateField(editable=False, null=True, verbose_name='notification due')),
                ('notified_on', models.DateField(blank=True, editable=False, null=True, verbose_name='notified on')),
                ('next_due', models.DateField(editable=False, null=True, verbose_name='next period ends')),
                ('archived_at', models.DateTimeField(editable=False, null=True, verbose_name='archived at')),
                ('decision_round', models.PositiveIntegerField(default=1, editable=False, verbose_name='decision round')),
                ('reopened_on', models.DateField(editable=False, null=True, verbose_name='reopened on')),
                ('act_finding', models.CharField(blank=True, choices=[('lawful', 'nothing unlawful or improper found'), ('unlawful', 'unlawful'), ('improper', 'improper')], editable=False, max_length=20, verbose_name='finding on the enforcement act (Art. 18)')),
                ('act_finding_reasons', models.TextField(blank=True, editable=False, verbose_name='reasons for the finding on the act')),
                ('act_found_on', models.DateField(blank=True, editable=False, null=True, verbose_name='act finding recorded on')),
                ('agency', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='cases', to='casework.agency', verbose_name='enforcement agency')),
                ('created_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='created by')),
                ('field', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='cases', to='casework.enforcementfield', verbose_name='enforcement field')),
            ],
            options={
                'verbose_name': 'supervision case',
                'verbose_name_plural': 'supervision cases',
                'ordering': ['-year', '-sequence'],
                'permissions': [('approve_requests', 'Can approve extensions, hearings and recusals'), ('determine_case', 'Can record determinations'), ('decide_review', 'Can decide review requests')],
            },
            bases=(modelsearch.index.Indexed, models.Model),
        ),
        migrations.CreateModel(
            name='StageChange',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='created at')),
                ('from_stage', models.CharField(choices=[('filed', '立案'), ('verifying', '核实'), ('determined', '认定'), ('notified', '反馈'), ('correcting', '纠错'), ('archived', '归档')], max_length=20)),
                ('to_stage', models.CharField(choices=[('filed', '立案'), ('verifying', '核实'), ('determined', '认定'), ('notified', '反馈'), ('correcting', '纠错'), ('archived', '归档')], max_length=20)),
                ('note', models.TextField(blank=True)),
                ('created_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='created by')),
                ('case', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='stage_changes', to='casework.supervisioncase')),
            ],
            options={
                'verbose_name': 'stage change',
                'verbose_name_plural': 'stage changes',
                'ordering': ['created_at', 'pk'],
            },
        ),
        migrations.AddField(
            model_name='riskpoint',
            name='cases',
            field=models.ManyToManyField(related_name='risk_points', to='casework.supervisioncase', verbose_name='cases'),
        ),
        migrations.CreateModel(
            name='Review',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='created at')),
                ('applicant', models.CharField(max_length=100, verbose_name='applicant')),
                ('decision_received_on', models.DateField(verbose_name='decision received on')),
                ('requested_on', models.DateField(verbose_name='requested on')),
                ('grounds', models.TextField(verbose_name='grounds')),
                ('decision_due', models.DateField(editable=False)),
                ('result', models.CharField(blank=True, choices=[('upheld', 'upheld'), ('changed', 'changed'), ('revoked', 'revoked')], max_length=20, verbose_name='result')),
                ('reasons', models.TextField(blank=True, verbose_name='reasons')),
                ('decided_on', models.DateField(blank=True, null=True, verbose_name='decided on')),
                ('created_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='created by')),
                ('decided_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('case', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='reviews', to='casework.supervisioncase')),
            ],
            options={
                'verbose_name': 'review',
                'verbose_name_plural': 'reviews',
            },
        ),
        migrations.CreateModel(
            name='Recusal',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='created at')),
                ('status', models.CharField(choices=[('pending', 'pending approval'), ('approved', 'approved'), ('rejected', 'Not approved')], default='pending', max_length=20, verbose_name='status')),
                ('decided_at', models.DateTimeField(blank=True, null=True, verbose_name='decided at')),
                ('kind', models.CharField(choices=[('declared', 'recusal requested by the person'), ('ordered', 'recusal ordered')], max_length=20, verbose_name='kind')),
                ('reason', models.TextField(verbose_name='interest in the case')),
                ('created_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='created by')),
                ('decided_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='decided by')),
                ('person', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='recusals', to=settings.AUTH_USER_MODEL, verbose_name='person')),
                ('case', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='recusals', to='casework.supervisioncase')),
            ],
            options={
                'verbose_name': 'recusal',
                'verbose_name_plural': 'recusals',
            },
        ),
        migrations.CreateModel(
            name='Notification',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='created at')),
                ('recipient', models.CharField(max_length=100, verbose_name='recipient')),
                ('is_party', models.BooleanField(default=False, verbose_name='party (not a unit)')),
                ('method', models.CharField(choices=[('in_person', 'served in person'), ('post', 'served by post'), ('electronic', 'served electronically')], max_length=20, verbose_name='method')),
                ('served_on', models.DateField(verbose_name='served on')),
                ('round', models.PositiveIntegerField(default=1, editable=False, verbose_name='decision round')),
                ('created_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='created by')),
                ('case', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='notifications', to='casework.supervisioncase')),
            ],
            options={
                'verbose_name': 'notification',
                'verbose_name_plural': 'notifications',
            },
        ),
        migrations.CreateModel(
            name='HistoricalTransfer',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('created_at', models.DateTimeField(blank=True, editable=False, verbose_name='created at')),
                ('reason', models.TextField(verbose_name='reason for transfer')),
                ('received_on', models.DateField(verbose_name='received by the agency on')),
                ('handling_due', models.DateField(editable=False, verbose_name='handling due')),
                ('handled_on', models.DateField(blank=True, null=True, verbose_name='handled on')),
                ('filing_due', models.DateField(editable=False, null=True, verbose_name='result filing due')),
                ('result', models.TextField(blank=True, verbose_name='handling result')),
                ('result_filed_on', models.DateField(blank=True, null=True, verbose_name='result filed on')),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.CharField(max_length=100, null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                ('agency', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='casework.agency')),
                ('created_by', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='created by')),
                ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('case', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='casework.supervisioncase')),
            ],
            options={
                'verbose_name': 'historical transfer to the agency',
                'verbose_name_plural': 'historical transfers to the agency',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name='HistoricalReview',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('created_at', models.DateTimeField(blank=True, editable=False, verbose_name='created at')),
                ('applicant', models.CharField(max_length=100, verbose_name='applicant')),
                ('decision_received_on', models.DateField(verbose_name='decision received on')),
                ('requested_on', models.DateField(verbose_name='requested on')),
                ('grounds', models.TextField(verbose_name='grounds')),
                ('decision_due', models.DateField(editable=False)),
                ('result', models.CharField(blank=True, choices=[('upheld', 'upheld'), ('changed', 'changed'), ('revoked', 'revoked')], max_length=20, verbose_name='result')),
                ('reasons', models.TextField(blank=True, verbose_name='reasons')),
                ('decided_on', models.DateField(blank=True, null=True, verbose_name='decided on')),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.CharField(max_length=100, null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                ('created_by', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='created by')),
                ('decided_by', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('case', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='casework.supervisioncase')),
            ],
            options={
                'verbose_name': 'historical review',
                'verbose_name_plural': 'historical reviews',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name='HistoricalRecusal',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('created_at', models.DateTimeField(blank=True, editable=False, verbose_name='created at')),
                ('status', models.CharField(choices=[('pending', 'pending approval'), ('approved', 'approved'), ('rejected', 'Not approved')], default='pending', max_length=20, verbose_name='status')),
                ('decided_at', models.DateTimeField(blank=True, null=True, verbose_name='decided at')),
                ('kind', models.CharField(choices=[('declared', 'recusal requested by the person'), ('ordered', 'recusal ordered')], max_length=20, verbose_name='kind')),
                ('reason', models.TextField(verbose_name='interest in the case')),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.CharField(max_length=100, null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                ('created_by', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='created by')),
                ('decided_by', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='decided by')),
                ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('person', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='person')),
                ('case', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='casework.supervisioncase')),
            ],
            options={
                'verbose_name': 'historical recusal',
                'verbose_name_plural': 'historical recusals',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name='HistoricalNotification',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('created_at', models.DateTimeField(blank=True, editable=False, verbose_name='created at')),
                ('recipient', models.CharField(max_length=100, verbose_name='recipient')),
                ('is_party', models.BooleanField(default=False, verbose_name='party (not a unit)')),
                ('method', models.CharField(choices=[('in_person', 'served in person'), ('post', 'served by post'), ('electronic', 'served electronically')], max_length=20, verbose_name='method')),
                ('served_on', models.DateField(verbose_name='served on')),
                ('round', models.PositiveIntegerField(default=1, editable=False, verbose_name='decision round')),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.CharField(max_length=100, null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                ('created_by', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='created by')),
                ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('case', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='casework.supervisioncase')),
            ],
            options={
                'verbose_name': 'historical notification',
                'verbose_name_plural': 'historical notifications',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name='HistoricalHearing',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('created_at', models.DateTimeField(blank=True, editable=False, verbose_name='created at')),
                ('scheduled_on', models.DateField(verbose_name='scheduled on')),
                ('host_name', models.CharField(max_length=50, verbose_name='host')),
                ('host_legal_qualification', models.CharField(max_length=200, verbose_name="host's legal qualification")),
                ('host_professional_qualification', models.CharField(max_length=200, verbose_name="host's professional knowledge")),
                ('held_on', models.DateField(blank=True, null=True, verbose_name='held on')),
                ('minutes', models.TextField(blank=True, verbose_name='minutes')),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.CharField(max_length=100, null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                ('approved_by', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('created_by', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='created by')),
                ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('case', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='casework.supervisioncase')),
            ],
            options={
                'verbose_name': 'historical hearing',
                'verbose_name_plural': 'historical hearings',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name='HistoricalExtension',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('created_at', models.DateTimeField(blank=True, editable=False, verbose_name='created at')),
                ('status', models.CharField(choices=[('pending', 'pending approval'), ('approved', 'approved'), ('rejected', 'Not approved')], default='pending', max_length=20, verbose_name='status')),
                ('decided_at', models.DateTimeField(blank=True, null=True, verbose_name='decided at')),
                ('days', models.PositiveSmallIntegerField(verbose_name='days')),
                ('reason', models.TextField(verbose_name='reason (why the case is complex)')),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.CharField(max_length=100, null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                ('created_by', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='created by')),
                ('decided_by', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='decided by')),
                ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('case', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='casework.supervisioncase')),
            ],
            options={
                'verbose_name': 'historical extension',
                'verbose_name_plural': 'historical extensions',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name='HistoricalCorrection',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('created_at', models.DateTimeField(blank=True, editable=False, verbose_name='created at')),
                ('reasons', models.TextField(verbose_name='reasons (纠错事由)')),
                ('items', models.TextField(verbose_name='items (纠错事项)')),
                ('requirements', models.TextField(verbose_name='requirements or suggestions')),
                ('deadline', models.DateField(verbose_name='deadline')),
                ('status', models.CharField(choices=[('open', 'rectification under way'), ('reported', 'reported complete, to be verified'), ('verified', 'verified complete')], default='open', max_length=20)),
                ('verified_on', models.DateField(blank=True, null=True)),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.CharField(max_length=100, null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                ('created_by', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='created by')),
                ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('verified_by', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('case', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='casework.supervisioncase')),
            ],
            options={
                'verbose_name': 'historical correction',
                'verbose_name_plural': 'historical corrections',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name='HistoricalCaseOfficer',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('created_at', models.DateTimeField(blank=True, editable=False, verbose_name='created at')),
                ('error_type', models.CharField(choices=[('evidence', 'insufficient evidence or facts wrongly found'), ('procedure', 'statutory procedure violated'), ('legal_basis', 'wrong legal basis applied'), ('discretion', 'discretion clearly improper'), ('time_limit', 'statutory time limit exceeded'), ('omission', 'statutory duty not performed or delayed'), ('publicity', 'publicity, full-process recording or legal review system not applied'), ('conduct', 'irregular enforcement conduct'), ('other', 'other')], max_length=20, verbose_name='error type at issue')),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.CharField(max_length=100, null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                ('created_by', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='created by')),
                ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('officer', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='casework.officer', verbose_name='officer')),
                ('case', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='casework.supervisioncase', verbose_name='case')),
            ],
            options={
                'verbose_name': 'historical officer concerned',
                'verbose_name_plural': 'historical officers concerned',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name='HistoricalCaseDocument',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('created_at', models.DateTimeField(blank=True, editable=False, verbose_name='created at')),
                ('kind', models.CharField(choices=[('opinion_letter', 'administrative law enforcement supervision opinion'), ('decision_notice', 'administrative law enforcement supervision decision')], max_length=20, verbose_name='kind')),
                ('year', models.PositiveIntegerField(editable=False)),
                ('sequence', models.PositiveIntegerField(editable=False)),
                ('number', models.CharField(db_index=True, max_length=60, verbose_name='document number')),
                ('file', models.TextField(max_length=100)),
                ('round', models.PositiveIntegerField(default=1, editable=False, verbose_name='decision round')),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.CharField(max_length=100, null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                ('created_by', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='created by')),
                ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('case', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='casework.supervisioncase')),
            ],
            options={
                'verbose_name': 'historical case document',
                'verbose_name_plural': 'historical case documents',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name='HistoricalAttachment',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('created_at', models.DateTimeField(blank=True, editable=False, verbose_name='created at')),
                ('title', models.CharField(max_length=200, verbose_name='title')),
                ('file', models.TextField(max_length=100, verbose_name='file')),
                ('visible_to_agency', models.BooleanField(default=False, verbose_name='visible to the agency liaison')),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.CharField(max_length=100, null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                ('activity', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='casework.activity')),
                ('created_by', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='created by')),
                ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('case', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='casework.supervisioncase')),
            ],
            options={
                'verbose_name': 'historical attachment',
                'verbose_name_plural': 'historical attachments',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name='HistoricalAssignment',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('created_at', models.DateTimeField(blank=True, editable=False, verbose_name='created at')),
                ('is_lead', models.BooleanField(default=False, verbose_name='lead investigator')),
                ('active', models.BooleanField(default=True, verbose_name='active')),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.CharField(max_length=100, null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                ('created_by', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='created by')),
                ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('investigator', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='investigator')),
                ('case', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='casework.supervisioncase')),
            ],
            options={
                'verbose_name': 'historical investigator assignment',
                'verbose_name_plural': 'historical investigator assignments',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name='HistoricalActivity',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('created_at', models.DateTimeField(blank=True, editable=False, verbose_name='created at')),
                ('kind', models.CharField(choices=[('written_review', 'documentary review'), ('inquiry', 'questioning and evidence taking'), ('on_site', 'on-site investigation or inspection'), ('appraisal', 'commissioned appraisal (assessment, testing)')], max_length=20, verbose_name='kind')),
                ('occurred_on', models.DateField(verbose_name='date')),
                ('summary', models.TextField(verbose_name='summary')),
                ('appraisal_body', models.CharField(blank=True, max_length=100, verbose_name='appraisal body')),
                ('appraisal_started_on', models.DateField(blank=True, null=True, verbose_name='appraisal commissioned on')),
                ('appraisal_ended_on', models.DateField(blank=True, null=True, verbose_name='appraisal report received on')),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.CharField(max_length=100, null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                ('created_by', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='created by')),
                ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('case', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='casework.supervisioncase')),
            ],
            options={
                'verbose_name': 'historical investigation activity',
                'verbose_name_plural': 'historical investigation activities',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name='Hearing',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='created at')),
                ('scheduled_on', models.DateField(verbose_name='scheduled on')),
                ('host_name', models.CharField(max_length=50, verbose_name='host')),
                ('host_legal_qualification', models.CharField(max_length=200, verbose_name="host's legal qualification")),
                ('host_professional_qualification', models.CharField(max_length=200, verbose_name="host's professional knowledge")),
                ('held_on', models.DateField(blank=True, null=True, verbose_name='held on')),
                ('minutes', models.TextField(blank=True, verbose_name='minutes')),
                ('approved_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('created_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='created by')),
                ('case', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='hearings', to='casework.supervisioncase')),
            ],
            options={
                'verbose_name': 'hearing',
                'verbose_name_plural': 'hearings',
            },
        ),
        migrations.CreateModel(
            name='Extension',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='created at')),
                ('status', models.CharField(choices=[('pending', 'pending approval'), ('approved', 'approved'), ('rejected', 'Not approved')], default='pending', max_length=20, verbose_name='status')),
                ('decided_at', models.DateTimeField(blank=True, null=True, verbose_name='decided at')),
                ('days', models.PositiveSmallIntegerField(verbose_name='days')),
                ('reason', models.TextField(verbose_name='reason (why the case is complex)')),
                ('created_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='created by')),
                ('decided_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='decided by')),
                ('case', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='extensions', to='casework.supervisioncase')),
            ],
            options={
                'verbose_name': 'extension',
                'verbose_name_plural': 'extensions',
            },
        ),
        migrations.CreateModel(
            name='DeadlineWarning',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='created at')),
                ('period', models.CharField(max_length=80, verbose_name='period key')),
                ('label', models.CharField(max_length=60, verbose_name='period')),
                ('article', models.CharField(max_length=20, verbose_name='article')),
                ('level', models.CharField(choices=[('yellow', 'yellow warning (due soon)'), ('red', 'red warning (overdue)')], max_length=10, verbose_name='level')),
                ('due', models.DateField(verbose_name='last day of the period')),
                ('issued_on', models.DateField(verbose_name='issued on')),
                ('agency_facing', models.BooleanField(default=False, verbose_name='concerns the agency (transfer, correction)')),
                ('created_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='created by')),
                ('case', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='deadline_warnings', to='casework.supervisioncase', verbose_name='case')),
            ],
            options={
                'verbose_name': 'deadline warning',
                'verbose_name_plural': 'deadline warnings',
                'ordering': ['-issued_on', '-pk'],
            },
        ),
        migrations.AddField(
            model_name='correction',
            name='case',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='corrections', to='casework.supervisioncase'),
        ),
        migrations.AddField(
            model_name='caseofficer',
            name='case',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='case_officers', to='casework.supervisioncase', verbose_name='case'),
        ),
        migrations.CreateModel(
            name='CaseDocument',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='created at')),
                ('kind', models.CharField(choices=[('opinion_letter', 'administrative law enforcement supervision opinion'), ('decision_notice', 'administrative law enforcement supervision decision')], max_length=20, verbose_name='kind')),
                ('year', models.PositiveIntegerField(editable=False)),
                ('sequence', models.PositiveIntegerField(editable=False)),
                ('number', models.CharField(max_length=60, unique=True, verbose_name='document number')),
                ('file', models.FileField(storage=casework.models.investigation.get_private_storage, upload_to='documents/%Y/')),
                ('round', models.PositiveIntegerField(default=1, editable=False, verbose_name='decision round')),
                ('created_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='created by')),
                ('case', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='documents', to='casework.supervisioncase')),
            ],
            options={
                'verbose_name': 'case document',
                'verbose_name_plural': 'case documents',
            },
        ),
        migrations.CreateModel(
            name='Attachment',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='created at')),
                ('title', models.CharField(max_length=200, verbose_name='title')),
                ('file', models.FileField(storage=casework.models.investigation.get_private_storage, upload_to='cases/%Y/', verbose_name='file')),
                ('visible_to_agency', models.BooleanField(default=False, verbose_name='visible to the agency liaison')),
                ('activity', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='attachments', to='casework.activity')),
                ('created_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='created by')),
                ('case', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='attachments', to='casework.supervisioncase')),
            ],
            options={
                'verbose_name': 'attachment',
                'verbose_name_plural': 'attachments',
            },
        ),
        migrations.CreateModel(
            name='Assignment',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='created at')),
                ('is_lead', models.BooleanField(default=False, verbose_name='lead investigator')),
                ('active', models.BooleanField(default=True, verbose_name='active')),
                ('created_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='created by')),
                ('investigator', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='case_assignments', to=settings.AUTH_USER_MODEL, verbose_name='investigator')),
                ('case', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='assignments', to='casework.supervisioncase')),
            ],
            options={
                'verbose_name': 'investigator assignment',
                'verbose_name_plural': 'investigator assignments',
            },
        ),
        migrations.AddField(
            model_name='activity',
            name='case',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='activities', to='casework.supervisioncase'),
        ),
        migrations.CreateModel(
            name='Transfer',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='created at')),
                ('reason', models.TextField(verbose_name='reason for transfer')),
                ('received_on', models.DateField(verbose_name='received by the agency on')),
                ('handling_due', models.DateField(editable=False, verbose_name='handling due')),
                ('handled_on', models.DateField(blank=True, null=True, verbose_name='handled on')),
                ('filing_due', models.DateField(editable=False, null=True, verbose_name='result filing due')),
                ('result', models.TextField(blank=True, verbose_name='handling result')),
                ('result_filed_on', models.DateField(blank=True, null=True, verbose_name='result filed on')),
                ('agency', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='casework.agency')),
                ('case', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='transfers', to='casework.supervisioncase')),
                ('created_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='created by')),
            ],
            options={
                'verbose_name': 'transfer to the agency',
                'verbose_name_plural': 'transfers to the agency',
            },
        ),
        migrations.CreateModel(
            name='WarningNotice',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='created at')),
                ('emailed_at', models.DateTimeField(blank=True, null=True, verbose_name='e-mailed at')),
                ('read_at', models.DateTimeField(blank=True, null=True, verbose_name='read at')),
                ('recipient', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='deadline_notices', to=settings.AUTH_USER_MODEL, verbose_name='recipient')),
                ('warning', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='notices', to='casework.deadlinewarning', verbose_name='warning')),
            ],
            options={
                'verbose_name': 'warning notice',
                'verbose_name_plural': 'warning notices',
                'ordering': ['-created_at', '-pk'],
            },
        ),
        migrations.CreateModel(
            name='LiaisonAssignment',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('agency', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='liaisons', to='casework.agency', verbose_name='agency')),
                ('user', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='liaison_assignments', to=settings.AUTH_USER_MODEL, verbose_name='user')),
            ],
            options={
                'verbose_name': 'agency liaison',
                'verbose_name_plural': 'agency liaisons',
                'unique_together': {('user', 'agency')},
            },
        ),
        migrations.CreateModel(
            name='PeriodicReport',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('kind', models.CharField(choices=[('month', 'monthly'), ('quarter', 'quarterly'), ('year', 'year')], max_length=10, verbose_name='period kind')),
                ('period_start', models.DateField(verbose_name='period start')),
                ('period_end', models.DateField(verbose_name='period end')),
                ('scheduled', models.BooleanField(default=False, verbose_name='generated on schedule')),
                ('generated_at', models.DateTimeField(auto_now_add=True, verbose_name='generated at')),
                ('figures', models.JSONField(default=dict, verbose_name='figures')),
                ('docx', models.FileField(storage=casework.models.investigation.get_private_storage, upload_to=casework.models.oversight.report_upload_to, verbose_name='Word report')),
                ('xlsx', models.FileField(storage=casework.models.investigation.get_private_storage, upload_to=casework.models.oversight.report_upload_to, verbose_name='Excel workbook')),
                ('generated_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='generated by')),
            ],
            options={
                'verbose_name': 'periodic report',
                'verbose_name_plural': 'periodic reports',
                'ordering': ['-period_start', '-generated_at'],
                'constraints': [models.UniqueConstraint(condition=models.Q(('scheduled', True)), fields=('kind', 'period_start'), name='casework_scheduled_report_once_per_period'), models.CheckConstraint(condition=models.Q(('period_end__gte', models.F('period_start'))), name='casework_report_period_ordered')],
            },
        ),
        migrations.CreateModel(
            name='RiskWarning',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='created at')),
                ('content', models.TextField(verbose_name='warning (risk and root cause)')),
                ('requirements', models.TextField(verbose_name='requirements')),
                ('deadline', models.DateField(verbose_name='deadline for the report')),
                ('issued_on', models.DateField(verbose_name='issued on')),
                ('status', models.CharField(choices=[('open', 'rectification under way'), ('reported', 'reported, to be verified'), ('verified', 'verified')], default='open', max_length=10, verbose_name='status')),
                ('reported_on', models.DateField(blank=True, null=True, verbose_name='reported on')),
                ('report', models.TextField(blank=True, verbose_name='measures taken')),
                ('verified_on', models.DateField(blank=True, null=True, verbose_name='verified on')),
                ('agency', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='risk_warnings', to='casework.agency', verbose_name='enforcement agency')),
                ('created_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='created by')),
                ('risk_point', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='warnings', to='casework.riskpoint', verbose_name='risk point')),
                ('verified_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='verified by')),
            ],
            options={
                'verbose_name': 'risk warning',
                'verbose_name_plural': 'risk warnings',
                'ordering': ['-issued_on', '-pk'],
                'constraints': [models.UniqueConstraint(fields=('risk_point', 'agency'), name='casework_risk_warning_once_per_agency')],
            },
        ),
        migrations.AddIndex(
            model_name='supervisioncase',
            index=models.Index(condition=models.Q(models.Q(('stage', 'archived'), _negated=True), ('next_due__isnull', False)), fields=['next_due'], name='casework_case_overdue_idx'),
        ),
        migrations.AddIndex(
            model_name='supervisioncase',
            index=models.Index(fields=['filed_on'], name='casework_case_filed_idx'),
        ),
        migrations.AddIndex(
            model_name='supervisioncase',
            index=models.Index(fields=['decision_due'], name='casework_case_due_idx'),
        ),
        migrations.AlterUniqueTogether(
            name='supervisioncase',
            unique_together={('year', 'sequence')},
        ),
        migrations.AddConstraint(
            model_name='riskpoint',
            constraint=models.UniqueConstraint(condition=models.Q(('scope', 'field'), models.Q(('status', 'closed'), _negated=True)), fields=('field', 'error_type'), name='casework_one_live_field_risk_point'),
        ),
        migrations.AddConstraint(
            model_name='riskpoint',
            constraint=models.UniqueConstraint(condition=models.Q(('scope', 'agency'), models.Q(('status', 'closed'), _negated=True)), fields=('agency', 'error_type'), name='casework_one_live_agency_risk_point'),
        ),
        migrations.AddConstraint(
            model_name='riskpoint',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('agency__isnull', True), ('field__isnull', False), ('scope', 'field')), models.Q(('agency__isnull', False), ('field__isnull', True), ('scope', 'agency')), _connector='OR'), name='casework_risk_point_target_matches_scope'),
        ),
        migrations.AddConstraint(
            model_name='deadlinewarning',
            constraint=models.UniqueConstraint(fields=('case', 'period', 'level'), name='casework_warning_once_per_period_and_level'),
        ),
        migrations.AlterUniqueTogether(
            name='caseofficer',
            unique_together={('case', 'officer')},
        ),
        migrations.AlterUniqueTogether(
            name='casedocument',
            unique_together={('kind', 'year', 'sequence')},
        ),
        migrations.AlterUniqueTogether(
            name='assignment',
            unique_together={('case', 'investigator')},
        ),
        migrations.AddConstraint(
            model_name='warningnotice',
            constraint=models.UniqueConstraint(fields=('warning', 'recipient'), name='casework_notice_once_per_recipient'),
        ),
        # The data of 0002-0007, in their order (see the docstring).
        migrations.RunPython(create_roles, remove_roles),
        migrations.RunPython(create_schedules, remove_schedules),
        migrations.RunPython(seed_validity, migrations.RunPython.noop),
        migrations.RunPython(grant_calendar_year, migrations.RunPython.noop),
        migrations.RunPython(grant_measure_validity, migrations.RunPython.noop),
    ]
