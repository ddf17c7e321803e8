"""Serving stored case files: every download is a view that has checked permission, so these
helpers only open the file and build a response that browsers save rather than render."""

from __future__ import annotations

from django.core.files import File
from django.db.models.fields.files import FieldFile
from django.http import FileResponse, Http404

MISSING_FILE = "The file is missing from storage."


def open_stored(field_file: FieldFile) -> File:
    """Open a stored file for reading, or 404 when storage no longer has it."""
    try:
        return field_file.open("rb")
    except (OSError, ValueError) as exc:
        raise Http404(MISSING_FILE) from exc


def download_response(handle: File, *, filename: str, content_type: str) -> FileResponse:
    """An attachment download: saved, never sniffed or cached on the way."""
    response = FileResponse(
        handle, as_attachment=True, filename=filename, content_type=content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
