"""Filling the disk through the report form (issue #14, abuse resistance).

Each test replays an attack that used to get through, against the real views,
the real staging directory and the real proof of work: files were read,
decoded and kept before the proof of work and the rate budget were checked,
and nothing bounded what one client, or all of them, could keep staged."""

import errno
import io
import os
import random
import struct
import zlib

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from reporting import forms, services, staging
from reporting.models import Report, StagedUpload

REPORT_URL = "/report/"
STATUS_URL = "/report/status/"

pytestmark = pytest.mark.django_db


def staged_files_on_disk() -> int:
    root = settings.REPORTING_PRIVATE_ROOT / "staged"
    return sum(len(files) for _, _, files in os.walk(root))


def noisy_png(seed: int, side: int = 64) -> bytes:
    """A PNG that does not compress away, so that sizes are real."""
    rng = random.Random(seed)
    image = Image.new("RGB", (side, side))
    image.putdata(
        [
            (rng.randrange(256), rng.randrange(256), rng.randrange(256))
            for _ in range(side * side)
        ]
    )
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def uploads_of(count: int, seed: int = 0) -> list:
    return [
        SimpleUploadedFile(f"照片{n}.png", noisy_png(seed + n), "image/png")
        for n in range(count)
    ]


@pytest.fixture
def checker_calls(monkeypatch):
    """Counts calls of the file checker the form uses (still the real one)."""
    calls = []
    real = forms.uploads.check

    def counting(upload):
        calls.append(upload.name)
        return real(upload)

    monkeypatch.setattr(forms.uploads, "check", counting)
    return calls


@pytest.fixture
def incomplete(report_data):
    """A real-name report without the name: the form fails, files are kept."""
    return {**report_data, "name": ""}


def post(client, data, *, proof="", files=(), **extra):
    return client.post(
        REPORT_URL, {**data, "proof": proof, "attachments": list(files)}, **extra
    )


@pytest.mark.parametrize("proof_value", ["", "bm90LWEtcHJvb2Y=", "x" * 5000])
def test_files_without_a_valid_proof_are_neither_read_nor_staged(
    client, incomplete, checker_calls, proof_value
):
    before = staged_files_on_disk()
    response = post(client, incomplete, proof=proof_value, files=uploads_of(5))
    assert response.status_code == 200
    html = response.content.decode()
    assert "安全验证" in html
    assert "本次选择的附件没有接收" in html
    # What the reporter typed is still on the page.
    assert incomplete["description"] in html
    assert checker_calls == []
    assert staged_files_on_disk() == before
    assert not StagedUpload.objects.exists()


def test_a_used_proof_does_not_open_the_door_to_files_either(
    client, incomplete, checker_calls, proof
):
    solution = proof()
    post(client, incomplete, proof=solution, files=uploads_of(1))
    assert StagedUpload.objects.count() == 1
    before = staged_files_on_disk()
    checker_calls.clear()
    post(client, incomplete, proof=solution, files=uploads_of(5, seed=10))
    assert checker_calls == []
    assert staged_files_on_disk() == before
    assert StagedUpload.objects.count() == 1


def test_files_staged_earlier_survive_a_refused_proof(client, incomplete, proof):
    first = post(client, incomplete, proof=proof(), files=uploads_of(1))
    token = first.context["form"].data["staged"]
    kept = StagedUpload.objects.get()
    again = post(client, {**incomplete, "staged": token}, proof="")
    assert list(again.context["form"].staged_uploads) == [kept]
    assert "已经收到并保留" in again.content.decode()


def test_over_the_submission_budget_files_are_neither_read_nor_staged(
    client, settings, report_data, incomplete, checker_calls, proof
):
    settings.REPORTING = {**settings.REPORTING, "SUBMISSIONS_PER_CLIENT": 1}
    assert post(client, report_data, proof=proof()).status_code == 200
    before = staged_files_on_disk()
    refused = post(client, incomplete, proof=proof(), files=uploads_of(5))
    assert refused.status_code == 429
    html = refused.content.decode()
    assert "提交过于频繁" in html and "本次选择的附件没有接收" in html
    assert incomplete["description"] in html
    assert checker_calls == []
    assert staged_files_on_disk() == before
    assert Report.objects.count() == 1


def test_more_files_than_allowed_are_counted_before_any_is_read(
    client, incomplete, checker_calls, proof
):
    maximum = settings.REPORTING["ATTACHMENT_MAX_FILES"]
    response = post(client, incomplete, proof=proof(), files=uploads_of(maximum + 7))
    assert f"附件最多{maximum}个" in response.content.decode()
    assert len(checker_calls) == maximum
    assert StagedUpload.objects.count() == maximum


def test_one_client_cannot_stage_more_than_its_hourly_bytes(
    client, settings, incomplete, proof
):
    first = post(client, incomplete, proof=proof(), files=uploads_of(1, seed=1))
    size = StagedUpload.objects.get().size
    # Room for two and a half such files per client.
    settings.REPORTING = {
        **settings.REPORTING,
        "STAGING_BYTES_PER_CLIENT": size * 5 // 2,
        "SUBMISSIONS_PER_CLIENT": 100,
    }
    token = first.context["form"].data["staged"]
    second = post(
        client,
        {**incomplete, "staged": token},
        proof=proof(),
        files=uploads_of(1, seed=2),
    )
    assert StagedUpload.objects.count() == 2
    token = second.context["form"].data["staged"]
    before = staged_files_on_disk()
    third = post(
        client,
        {**incomplete, "staged": token},
        proof=proof(),
        files=uploads_of(1, seed=3),
    )
    html = third.content.decode()
    assert "您近期暂存的附件已超过" in html and "照片0.png" in html
    assert incomplete["description"] in html
    # Nothing new on disk, and the two kept before are still offered.
    assert staged_files_on_disk() == before
    assert len(third.context["form"].staged_uploads) == 2
    # Another client has its own allowance.
    other = post(
        client,
        incomplete,
        proof=proof(),
        files=uploads_of(1, seed=4),
        REMOTE_ADDR="198.51.100.77",
    )
    assert "您近期暂存的附件已超过" not in other.content.decode()
    assert StagedUpload.objects.count() == 3


def test_parallel_requests_cannot_both_fit_into_the_last_bytes(rf, settings):
    """The per-client count is written before it is compared (Budget.take)."""
    settings.REPORTING = {**settings.REPORTING, "STAGING_BYTES_PER_CLIENT": 100}
    budget = staging.client_budget()
    request = rf.post(REPORT_URL, REMOTE_ADDR="203.0.113.5")
    assert budget.take(request, 60)
    assert not budget.take(request, 60)
    # A refused take gives its bytes back: a smaller file still fits.
    assert budget.take(request, 40)
    assert not budget.take(request, 1)


def test_above_the_total_cap_nothing_more_is_staged_and_the_page_says_busy(
    client, rf, settings, incomplete, proof, png_bytes
):
    from reporting.uploads import CheckedFile

    # Someone else's files already fill staging up to the cap.
    services.stage_upload(CheckedFile("别人的.png", png_bytes, "image/png"))
    settings.REPORTING = {
        **settings.REPORTING,
        "STAGING_BYTES_TOTAL": staging.staged_bytes() + 10,
    }
    before = staged_files_on_disk()
    response = post(client, incomplete, proof=proof(), files=uploads_of(2))
    html = response.content.decode()
    assert response.status_code == 200
    assert "系统繁忙" in html and "照片0.png" in html and "照片1.png" in html
    assert incomplete["description"] in html
    assert staged_files_on_disk() == before
    assert StagedUpload.objects.count() == 1
    # A refusal for a full disk does not use up the client's own allowance.
    assert staging.client_budget().take(
        rf.post(REPORT_URL), settings.REPORTING["STAGING_BYTES_PER_CLIENT"]
    )


def test_a_full_disk_says_busy_and_keeps_the_form(
    client, rf, monkeypatch, incomplete, proof
):
    def disk_full(checked):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(services, "stage_upload", disk_full)
    response = post(client, incomplete, proof=proof(), files=uploads_of(1))
    assert response.status_code == 200
    html = response.content.decode()
    assert "系统繁忙" in html and incomplete["description"] in html
    assert not StagedUpload.objects.exists()
    # The bytes the failed write had taken from the client are given back.
    assert staging.client_budget().take(
        rf.post(REPORT_URL), settings.REPORTING["STAGING_BYTES_PER_CLIENT"]
    )


def png_header_only(width: int, height: int) -> bytes:
    """A PNG that claims ``width`` x ``height`` pixels in a few bytes: decoding
    it would take gigabytes, so it must be refused from its header."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\0" * 1024)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", pixels)
        + chunk(b"IEND", b"")
    )


@pytest.mark.parametrize("side", [7_100, 40_000])
def test_a_pixel_bomb_is_refused_from_its_header(client, incomplete, proof, side):
    bomb = SimpleUploadedFile("炸弹.png", png_header_only(side, side), "image/png")
    response = post(client, incomplete, proof=proof(), files=[bomb])
    assert response.status_code == 200
    assert "像素过大" in response.content.decode()
    assert not StagedUpload.objects.exists()


def test_the_daily_purge_frees_the_total(settings, png_bytes):
    import datetime

    from django.utils import timezone

    from reporting import tasks
    from reporting.uploads import CheckedFile

    old = services.stage_upload(CheckedFile("旧.png", png_bytes, "image/png"))
    StagedUpload.objects.filter(pk=old.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=2)
    )
    assert staging.staged_bytes() == old.size
    tasks.purge_staged_uploads()
    assert staging.staged_bytes() == 0


def test_a_reply_without_proof_stages_nothing(client, real_name_report, checker_calls):
    opened = client.post(STATUS_URL, {"code": real_name_report.code})
    assert opened.status_code == 302
    before = staged_files_on_disk()
    response = client.post(
        "/report/status/reply/",
        {"body": "", "proof": "", "attachments": uploads_of(5)},
    )
    assert response.status_code == 200
    assert "本次选择的附件没有接收" in response.content.decode()
    assert checker_calls == []
    assert staged_files_on_disk() == before


def test_a_valid_proof_still_files_a_report_with_its_files(client, report_data, proof):
    response = post(client, report_data, proof=proof(), files=uploads_of(2))
    assert response.status_code == 200
    report = Report.objects.get()
    assert report.attachments.count() == 2
    assert not StagedUpload.objects.exists()
