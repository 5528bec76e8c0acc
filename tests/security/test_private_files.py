"""Private files: case files, generated documents, periodic reports, report
attachments and documents of restricted Wagtail collections are reachable
only through views that check permissions, and are sent so that nothing
keeps or runs them."""

from __future__ import annotations

import importlib
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client, override_settings
from django.urls import Resolver404, get_resolver, reverse
from django.views.static import serve as static_serve

ROOT = Path(__file__).resolve().parents[2]


def inside(path, root) -> bool:
    return Path(path).resolve().is_relative_to(Path(root).resolve())


def test_documents_are_served_by_the_permission_checking_view(world):
    assert settings.WAGTAILDOCS_SERVE_METHOD == "serve_view"
    assert world.private_doc.url.startswith("/documents/")
    assert world.public_doc.url.startswith("/documents/")


def test_private_roots_lie_outside_every_served_directory(world):
    w = world
    for root in (settings.CASEWORK_PRIVATE_ROOT, settings.REPORTING_PRIVATE_ROOT):
        for served in (settings.MEDIA_ROOT, settings.STATIC_ROOT):
            assert not inside(root, served), (root, served)
    for field in (
        w.office_attachment.file,
        w.document_a.file,
        w.periodic_report.docx,
        w.linked_attachment.file,
    ):
        assert Path(field.path).exists()
        assert not inside(field.path, settings.MEDIA_ROOT)
        with pytest.raises(ValueError):
            field.url  # noqa: B018 (no public address at all)


def test_production_compose_keeps_private_roots_out_of_media():
    compose = (ROOT / "docker" / "compose.yaml").read_text()
    values = dict(re.findall(r"^\s+([A-Z_]+_ROOT): (\S+)$", compose, re.MULTILINE))
    media = values["MEDIA_ROOT"]
    for name in ("CASEWORK_PRIVATE_ROOT", "REPORTING_PRIVATE_ROOT"):
        assert not Path(values[name]).is_relative_to(media), name


def test_development_serves_only_image_renditions(tmp_path):
    """With DEBUG on, /media/images/ (renditions) is served from disk;
    original images, documents and anything else under /media/ is not."""
    import portal.urls

    try:
        with override_settings(DEBUG=True, MEDIA_ROOT=tmp_path):
            module = importlib.reload(portal.urls)
            resolver = get_resolver(module)
            assert resolver.resolve("/media/images/a.max-800x600.png").func is (
                static_serve
            )
            for path in (
                "/media/original_images/a.png",
                "/media/documents/internal-rules.pdf",
                "/media/cases/2025/inquiry.pdf",
            ):
                try:
                    match = resolver.resolve(path)
                except Resolver404:
                    continue
                assert match.func is not static_serve, path
    finally:
        importlib.reload(portal.urls)


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _private_download(response, disposition="attachment") -> bytes:
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith(disposition)
    assert response["X-Content-Type-Options"] == "nosniff"
    cache_control = {part.strip() for part in response["Cache-Control"].split(",")}
    assert {"private", "no-store"} <= cache_control
    return b"".join(response.streaming_content)


def test_downloads_are_attachments_never_sniffed_or_cached(world):
    w = world
    officer = _client(w.officer_assigned)
    urls = [
        reverse("casework_case:attachment", args=[w.case_a.pk, w.office_attachment.pk]),
        reverse("casework_case:document", args=[w.case_a.pk, w.document_a.pk]),
        reverse("casework_reports:download", args=[w.periodic_report.pk, "docx"]),
        reverse("casework_reports:download", args=[w.periodic_report.pk, "xlsx"]),
        reverse(
            "reporting_report:attachment",
            args=[w.report_linked.pk, w.linked_attachment.pk],
        ),
    ]
    for url in urls:
        assert _private_download(officer.get(url)), url
    private = _client(w.head).get(w.private_doc.url)
    assert _private_download(private).startswith(b"%PDF")


def test_public_documents_stay_cacheable(world):
    response = Client().get(world.public_doc.url)
    assert response.status_code == 200
    assert "no-store" not in response.get("Cache-Control", "")
    b"".join(response.streaming_content)
