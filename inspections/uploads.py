"""Checking uploaded evidence: a size limit and an allowed list of types, decided by the
file's content (its magic bytes and structure), not only by its name."""

from __future__ import annotations

import hashlib
import io
import uuid
import zipfile
from dataclasses import dataclass
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat

TOO_BIG = "The file is {size}. Files must be smaller than {limit}."
EMPTY = "The file is empty."
NOT_ALLOWED_TYPE = (
    "{name} is not a type we accept. Upload a PDF, Word, Excel, PowerPoint, OpenDocument, "
    "plain text, CSV, PNG or JPEG file."
)
NAME_DOES_NOT_MATCH = "{name} does not contain what its name says ({ext}). Check the file."

OOXML = {
    ".docx": ("word/", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    ".xlsx": ("xl/", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    ".pptx": ("ppt/", "application/vnd.openxmlformats-officedocument.presentationml.presentation"),
}
ODF = {
    ".odt": "application/vnd.oasis.opendocument.text",
    ".ods": "application/vnd.oasis.opendocument.spreadsheet",
    ".odp": "application/vnd.oasis.opendocument.presentation",
}
TEXT = {".txt": "text/plain", ".csv": "text/csv"}


@dataclass(frozen=True)
class CheckedUpload:
    name: str
    storage_name: str
    content_type: str
    size: int
    sha256: str


def _max_bytes() -> int:
    return getattr(settings, "ATTACHMENT_MAX_BYTES", 20 * 1024 * 1024)


def _sniff(head: bytes, data_file, ext: str) -> str | None:
    """The content type the bytes show, for the allowed types only; None if not allowed."""
    if head.startswith(b"%PDF-"):
        return "application/pdf"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if head.startswith(b"PK\x03\x04"):
        try:
            data_file.seek(0)
            with zipfile.ZipFile(data_file) as archive:
                names = archive.namelist()
                if "mimetype" in names:
                    mimetype = archive.read("mimetype").decode("ascii", "replace").strip()
                    return mimetype if mimetype in ODF.values() else None
                if "[Content_Types].xml" in names:
                    for prefix, content_type in OOXML.values():
                        if any(n.startswith(prefix) for n in names):
                            return content_type
        except (zipfile.BadZipFile, OSError, KeyError):
            return None
        return None
    if ext in TEXT and b"\x00" not in head:
        try:
            data_file.seek(0)
            io.TextIOWrapper(io.BufferedReader(data_file), encoding="utf-8", errors="strict").read()
        except (UnicodeDecodeError, ValueError):
            return None
        return TEXT[ext]
    return None


def _expected(ext: str) -> str | None:
    known = {
        ".pdf": "application/pdf",
        ".png": "image/png",
        ".jpg": "image/jpeg",
        ".jpeg": "image/jpeg",
        **{k: v[1] for k, v in OOXML.items()},
        **ODF,
        **TEXT,
    }
    return known.get(ext)


def inspect_upload(upload: UploadedFile) -> CheckedUpload:
    """Raise ValidationError (on the `file` field) unless the upload is allowed."""
    name = PurePath(upload.name or "upload").name[:200]
    ext = PurePath(name).suffix.lower()
    if upload.size == 0:
        raise ValidationError({"file": [EMPTY]})
    if upload.size > _max_bytes():
        raise ValidationError(
            {
                "file": [
                    TOO_BIG.format(
                        size=filesizeformat(upload.size), limit=filesizeformat(_max_bytes())
                    )
                ]
            }
        )
    upload.seek(0)
    head = upload.read(8)
    stream = upload.file if hasattr(upload, "file") else upload
    detected = _sniff(head, _NonClosing(stream), ext)
    expected = _expected(ext)
    if detected is None:
        raise ValidationError({"file": [NOT_ALLOWED_TYPE.format(name=name)]})
    if expected != detected:
        raise ValidationError({"file": [NAME_DOES_NOT_MATCH.format(name=name, ext=ext or "none")]})
    digest = hashlib.sha256()
    upload.seek(0)
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return CheckedUpload(
        name=name,
        storage_name=f"{uuid.uuid4().hex}{ext}",
        content_type=detected,
        size=upload.size,
        sha256=digest.hexdigest(),
    )


class _NonClosing(io.RawIOBase):
    """Lets zipfile and TextIOWrapper read the upload without closing it."""

    def __init__(self, raw):
        self._raw = raw

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def seek(self, offset: int, whence: int = 0) -> int:
        return self._raw.seek(offset, whence)

    def tell(self) -> int:
        return self._raw.tell()

    def readinto(self, buffer) -> int:
        data = self._raw.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)

    def close(self) -> None:  # leave the upload open for Django to store
        pass
