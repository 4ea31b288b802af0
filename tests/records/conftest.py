"""Fixtures for the records tests that only they need."""

import pytest


@pytest.fixture
def demo_settings(settings, tmp_path):
    """A data directory of the test's own, where load_demo writes the demo logins and generated corpus."""
    settings.DATA_DIR = tmp_path / "data"
    settings.DATA_DIR.mkdir()
    return settings
