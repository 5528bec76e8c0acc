"""portal.storage: private files have no URL and live where their setting says."""

import pytest
from django.test import override_settings
from django.utils.functional import empty

from casework.models.investigation import get_private_storage
from portal.storage import PrivateFileSystemStorage, PrivateStorage
from reporting.models import get_report_storage


def test_private_storage_has_no_url(tmp_path):
    storage = PrivateFileSystemStorage(location=tmp_path)
    assert storage.base_url is None
    with pytest.raises(ValueError):
        storage.url("cases/2025/a.pdf")


def test_location_is_read_from_the_named_setting_on_first_use(tmp_path):
    storage = PrivateStorage("PLUMBING_TEST_ROOT")
    with override_settings(PLUMBING_TEST_ROOT=tmp_path / "one"):
        assert storage.path("a.txt") == str(tmp_path / "one" / "a.txt")
        assert storage.location_setting == "PLUMBING_TEST_ROOT"
    storage._wrapped = empty
    with override_settings(PLUMBING_TEST_ROOT=tmp_path / "two"):
        assert storage.path("a.txt") == str(tmp_path / "two" / "a.txt")


def test_casework_and_reporting_keep_their_own_directories(settings):
    casework, reporting = get_private_storage(), get_report_storage()
    assert casework.location_setting == "CASEWORK_PRIVATE_ROOT"
    assert reporting.location_setting == "REPORTING_PRIVATE_ROOT"
    assert casework.path("x") == str(settings.CASEWORK_PRIVATE_ROOT / "x")
    assert reporting.path("x") == str(settings.REPORTING_PRIVATE_ROOT / "x")
    with pytest.raises(ValueError):
        reporting.url("x")
