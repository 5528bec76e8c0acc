"""portal.uploads.Policy: what one upload field accepts, stated once and
used as the file input's accept value, a form validator and the checker."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from casework.forms import ATTACHMENT_POLICY
from portal.uploads import Limits, Policy, UploadRefused
from reporting import uploads as reporting_uploads

TEXT = "现场情况说明。".encode()


def _text_policy(caps: list) -> Policy:
    return Policy(kinds=("txt", "pdf"), limits=lambda: caps[-1], offered=("pdf",))


def test_accept_lists_the_offered_kinds_only():
    assert _text_policy([Limits(max_bytes=100)]).accept == ".pdf"
    assert Policy(kinds=("txt", "pdf"), limits=lambda: None).accept == ".txt,.pdf"


def test_limits_are_read_at_each_check_and_the_file_is_rewound():
    caps = [Limits(max_bytes=1024)]
    policy = _text_policy(caps)
    upload = SimpleUploadedFile("说明.txt", TEXT)
    assert policy.check(upload).content == TEXT
    assert upload.tell() == 0
    caps.append(Limits(max_bytes=4))
    with pytest.raises(UploadRefused, match=r"说明\.txt"):
        policy.check(upload)
    assert upload.tell() == 0


def test_validate_gives_the_refusal_as_a_validation_error():
    policy = _text_policy([Limits(max_bytes=1024)])
    policy.validate(SimpleUploadedFile("说明.txt", TEXT))
    with pytest.raises(ValidationError) as refused:
        policy.validate(SimpleUploadedFile("说明.exe", TEXT))
    assert "说明.exe" in refused.value.messages[0]


def test_the_plugins_state_their_policies_with_it(settings):
    settings.CASEWORK_ATTACHMENT_MAX_BYTES = 1234
    assert ATTACHMENT_POLICY.limits().max_bytes == 1234
    assert not ATTACHMENT_POLICY.reencode_images
    assert reporting_uploads.POLICY.strip_metadata
    assert reporting_uploads.POLICY.reencode_images
    assert reporting_uploads.POLICY.accept == reporting_uploads.ACCEPT
