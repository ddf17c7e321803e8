"""Serving stored files: a missing file is a 404, and every download is saved, not rendered."""

import copy

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage
from django.db.models.fields.files import FieldFile
from django.http import Http404

from inspections.models import Attachment
from scrutiny.files import MISSING_FILE, download_response, open_stored


def _stored(tmp_path, name: str, content: bytes | None) -> FieldFile:
    storage = FileSystemStorage(location=tmp_path)
    if content is not None:
        storage.save(name, ContentFile(content))
    field = copy.copy(Attachment._meta.get_field("file"))  # never change the real field
    field.storage = storage
    return FieldFile(Attachment(), field, name)


def test_a_file_storage_has_lost_is_a_404(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    with pytest.raises(Http404, match=MISSING_FILE):
        open_stored(_stored(tmp_path, "gone.pdf", None))


def test_downloads_are_attachments_never_sniffed_or_cached(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    handle = open_stored(_stored(tmp_path, "report.pdf", b"%PDF-1.4 test"))
    response = download_response(
        handle, filename="Position statement.pdf", content_type="application/pdf"
    )
    assert b"".join(response.streaming_content) == b"%PDF-1.4 test"
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert 'filename="Position statement.pdf"' in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "private, no-store"
