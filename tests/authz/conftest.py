import pytest


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    """Files the matrix's objects carry (lesson PDFs, submissions) go to a throwaway folder."""
    settings.MEDIA_ROOT = str(tmp_path / "media")
