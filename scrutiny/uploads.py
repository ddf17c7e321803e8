"""Checking and storing uploaded case files (evidence, meeting papers): a size limit and an
allowed list of types, decided by the file's content (its magic bytes and structure), not only
by its name."""

from __future__ import annotations

import codecs
import hashlib
import io
import uuid
import zipfile
from dataclasses import dataclass
from pathlib import PurePath
from typing import TYPE_CHECKING, TypeVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import models
from django.template.defaultfilters import filesizeformat

if TYPE_CHECKING:
    from accounts.models import User

Model = TypeVar("Model", bound=models.Model)

TOO_BIG = "The file is {size}. Files can be no bigger than {limit}."
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
MAX_NAME_LENGTH = 200
_CHUNK = 64 * 1024


@dataclass(frozen=True)
class CheckedUpload:
    name: str
    storage_name: str
    content_type: str
    size: int
    sha256: str


def max_bytes() -> int:
    """The largest attachment accepted, in bytes (setting ATTACHMENT_MAX_BYTES)."""
    return _max_bytes()


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
                    with archive.open("mimetype") as member:  # a few bytes, never a bomb
                        mimetype = member.read(100).decode("ascii", "replace").strip()
                    return mimetype if mimetype in ODF.values() else None
                if "[Content_Types].xml" in names:
                    # The folder the name promises first, then the others in turn.
                    candidates = [OOXML[ext]] if ext in OOXML else []
                    for prefix, content_type in [*candidates, *OOXML.values()]:
                        if any(n.startswith(prefix) for n in names):
                            return content_type
        except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, KeyError, ValueError):
            return None
        return None
    if ext in TEXT and _is_utf8_text(data_file):
        return TEXT[ext]
    return None


def _is_utf8_text(data_file) -> bool:
    """UTF-8 from the first byte to the last, with no NUL byte anywhere."""
    decoder = codecs.getincrementaldecoder("utf-8")(errors="strict")
    data_file.seek(0)
    try:
        while chunk := data_file.read(_CHUNK):
            if b"\x00" in chunk:
                return False
            decoder.decode(chunk)
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


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


def _own_name(name: str | None) -> str:
    """The file's own name, as shown and offered on download: no folders (either kind of
    slash), no control or invisible formatting characters (NUL, line breaks, a right-to-left
    override); "upload" if nothing is left. Django's multipart parser does the same for pages
    and the API; this covers every other caller of the services."""
    printable = "".join(char for char in name or "" if char.isprintable())
    own = printable.replace("\\", "/").rsplit("/", 1)[-1].strip()
    return "upload" if own.strip(".") == "" else own


def _short_name(name: str) -> str:
    """The name cut to MAX_NAME_LENGTH characters, keeping its extension."""
    if len(name) <= MAX_NAME_LENGTH:
        return name
    suffix = PurePath(name).suffix
    if len(suffix) >= MAX_NAME_LENGTH // 2:
        return name[:MAX_NAME_LENGTH]
    return name[: MAX_NAME_LENGTH - len(suffix)] + suffix


def inspect_upload(upload: UploadedFile) -> CheckedUpload:
    """Raise ValidationError (on the `file` field) unless the upload is allowed."""
    full_name = _own_name(upload.name)
    ext = PurePath(full_name).suffix.lower()  # from the whole name, before any shortening
    name = _short_name(full_name)
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
    if detected is None and expected is None:
        raise ValidationError({"file": [NOT_ALLOWED_TYPE.format(name=name)]})
    if expected != detected:  # an allowed name over other content, or the other way round
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


def store_checked_upload(
    record: Model, *, checked: CheckedUpload, upload: UploadedFile, by: User, reason: str
) -> Model:
    """Store an upload already passed by `inspect_upload` on `record` (a model with a `file`
    field and the checked file's details set), validating the row before anything is written
    and leaving no orphan file behind if the row cannot be saved."""
    from scrutiny.services import audited_save

    record.full_clean(exclude=["file"])  # refuse before anything is stored
    record.file.save(checked.storage_name, upload, save=False)
    stored = record.file.name
    try:
        return audited_save(record, by=by, reason=reason, exclude=["file"])
    except BaseException:
        record.file.storage.delete(stored)  # no orphan file for a row that was not saved
        raise
