"""Attachments: a size limit and an allowed list of types decided by the file's content, then
stored under a random name with its checksum. Every file here is built for real, small."""

import hashlib
import io
import struct
import zipfile
import zlib

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile, TemporaryUploadedFile
from django.http import Http404
from django.template.defaultfilters import filesizeformat

from inspections import services
from inspections.models import Attachment, AttachmentDownload
from inspections.selectors import attachment_get, attachment_list
from scrutiny import uploads
from tests import factories

pytestmark = pytest.mark.django_db


# Real small files ---------------------------------------------------------------------------


PDF = (
    b"%PDF-1.4\n"
    b"1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
    b"2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\n"
    b"trailer << /Root 1 0 R >>\n%%EOF\n"
)
JPEG = (
    b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"
    b"\xff\xdb\x00\x43\x00" + bytes(64) + b"\xff\xd9"
)


def png() -> bytes:
    """A valid one-pixel PNG."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00\xff\x00\x00")
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


def _zip(files: dict[str, bytes], stored_first: str | None = None) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        if stored_first:
            archive.writestr(
                zipfile.ZipInfo(stored_first), files.pop(stored_first), zipfile.ZIP_STORED
            )
        for name, data in files.items():
            archive.writestr(name, data)
    return buffer.getvalue()


CONTENT_TYPES = (
    b'<?xml version="1.0" encoding="UTF-8"?>'
    b'<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>'
)


def ooxml(folder: str, part: str) -> bytes:
    """A minimal Office Open XML package: [Content_Types].xml, relationships, the main part."""
    return _zip(
        {
            "[Content_Types].xml": CONTENT_TYPES,
            "_rels/.rels": b"<Relationships/>",
            f"{folder}/{part}": b"<?xml version='1.0'?><root/>",
        }
    )


def docx() -> bytes:
    return ooxml("word", "document.xml")


def xlsx() -> bytes:
    return ooxml("xl", "workbook.xml")


def pptx() -> bytes:
    return ooxml("ppt", "presentation.xml")


def odf(mimetype: str) -> bytes:
    """A minimal OpenDocument package: the mimetype first and uncompressed, as ODF requires."""
    return _zip(
        {
            "mimetype": mimetype.encode("ascii"),
            "content.xml": b"<office:document-content/>",
            "META-INF/manifest.xml": b"<manifest:manifest/>",
        },
        stored_first="mimetype",
    )


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


def temporary_upload(name: str, content: bytes) -> TemporaryUploadedFile:
    """A large upload as Django hands it over: spooled to a temporary file on disk."""
    file = TemporaryUploadedFile(name, "application/octet-stream", len(content), None)
    file.write(content)
    file.seek(0)
    return file


def refusal(exc) -> list[str]:
    return exc.value.message_dict["file"]


# What is accepted ------------------------------------------------------------------------------


ACCEPTED = [
    ("position-statement.pdf", PDF, "application/pdf"),
    ("chart.png", png(), "image/png"),
    ("photo.jpg", JPEG, "image/jpeg"),
    ("photo.jpeg", JPEG, "image/jpeg"),
    ("SCAN.PDF", PDF, "application/pdf"),
    ("report.docx", docx(), uploads.OOXML[".docx"][1]),
    ("figures.xlsx", xlsx(), uploads.OOXML[".xlsx"][1]),
    ("slides.pptx", pptx(), uploads.OOXML[".pptx"][1]),
    ("report.odt", odf(uploads.ODF[".odt"]), uploads.ODF[".odt"]),
    ("figures.ods", odf(uploads.ODF[".ods"]), uploads.ODF[".ods"]),
    ("slides.odp", odf(uploads.ODF[".odp"]), uploads.ODF[".odp"]),
    ("notes.txt", "Notes from the focus group \u2013 café, naïve, £5\n".encode(), "text/plain"),
    ("records.csv", b"record,question,answer\n1,Q1,yes\n2,Q1,no\n", "text/csv"),
]


@pytest.mark.parametrize(("name", "content", "content_type"), ACCEPTED)
def test_allowed_types_are_accepted_by_their_content(name, content, content_type):
    checked = uploads.inspect_upload(upload(name, content))
    assert checked.content_type == content_type
    assert checked.name == name
    assert checked.size == len(content)
    assert checked.sha256 == hashlib.sha256(content).hexdigest()
    assert checked.storage_name.endswith(name[name.rindex(".") :].lower())
    assert name.rsplit(".", 1)[0] not in checked.storage_name


@pytest.mark.parametrize(("name", "content", "content_type"), ACCEPTED)
def test_uploads_spooled_to_disk_are_checked_alike(name, content, content_type):
    checked = uploads.inspect_upload(temporary_upload(name, content))
    assert checked.content_type == content_type


# What is refused, and what it says -------------------------------------------------------------


def mismatch(name: str, ext: str) -> list[str]:
    return [uploads.NAME_DOES_NOT_MATCH.format(name=name, ext=ext)]


def not_allowed(name: str) -> list[str]:
    return [uploads.NOT_ALLOWED_TYPE.format(name=name)]


EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + bytes(48) + b"PE\x00\x00"


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        # names that promise an allowed type over other content
        ("report.pdf", _zip({"a.txt": b"hello"}), mismatch("report.pdf", ".pdf")),
        ("report.pdf", docx(), mismatch("report.pdf", ".pdf")),
        ("report.pdf", EXE, mismatch("report.pdf", ".pdf")),
        ("report.docx", xlsx(), mismatch("report.docx", ".docx")),
        ("figures.xlsx", docx(), mismatch("figures.xlsx", ".xlsx")),
        ("report.docx", odf(uploads.ODF[".odt"]), mismatch("report.docx", ".docx")),
        ("report.odt", docx(), mismatch("report.odt", ".odt")),
        ("report.odt", odf(uploads.ODF[".ods"]), mismatch("report.odt", ".odt")),
        ("book.odt", odf("application/epub+zip"), mismatch("book.odt", ".odt")),
        (
            "report.docx",
            _zip({"[Content_Types].xml": CONTENT_TYPES}),
            mismatch("report.docx", ".docx"),
        ),
        ("report.docx", b"PK\x03\x04 this is not really a zip", mismatch("report.docx", ".docx")),
        ("chart.png", PDF, mismatch("chart.png", ".png")),
        ("photo.jpg", png(), mismatch("photo.jpg", ".jpg")),
        ("notes.txt", PDF, mismatch("notes.txt", ".txt")),
        ("notes.txt", EXE, mismatch("notes.txt", ".txt")),
        ("notes.txt", bytes(range(256)), mismatch("notes.txt", ".txt")),
        ("notes.txt", "Café".encode("latin-1"), mismatch("notes.txt", ".txt")),
        ("notes.txt", "Notes".encode("utf-16"), mismatch("notes.txt", ".txt")),
        # valid UTF-8 with a NUL byte after the first few bytes is binary, not text
        (
            "notes.txt",
            b"Plain text at first\x00\x01\x02 then binary",
            mismatch("notes.txt", ".txt"),
        ),
        ("records.csv", b"a,b\n1,2\n" + b"\x00" * 16, mismatch("records.csv", ".csv")),
        ("README", PDF, mismatch("README", "none")),
        # types we do not accept at all
        ("setup.exe", EXE, not_allowed("setup.exe")),
        ("archive.zip", _zip({"a.txt": b"hello"}), not_allowed("archive.zip")),
        ("page.html", b"<html><script>alert(1)</script></html>", not_allowed("page.html")),
        ("data", b"\x00\x01\x02\x03", not_allowed("data")),
    ],
)
def test_content_that_is_not_what_it_says_is_refused(name, content, expected):
    with pytest.raises(ValidationError) as exc:
        uploads.inspect_upload(upload(name, content))
    assert refusal(exc) == expected


def test_an_empty_file_is_refused():
    with pytest.raises(ValidationError) as exc:
        uploads.inspect_upload(upload("empty.pdf", b""))
    assert refusal(exc) == [uploads.EMPTY]


def test_a_nul_byte_deep_in_a_large_text_file_is_found():
    text = b"line of evidence notes\n" * 10_000  # several read chunks
    with pytest.raises(ValidationError) as exc:
        uploads.inspect_upload(temporary_upload("notes.txt", text + b"\x00" + text))
    assert refusal(exc) == mismatch("notes.txt", ".txt")


def test_a_character_split_across_read_chunks_is_still_text():
    filler = b"a" * (64 * 1024 - 1)
    content = filler + "é and more".encode()  # é's two bytes straddle the first chunk boundary
    checked = uploads.inspect_upload(temporary_upload("notes.txt", content))
    assert checked.content_type == "text/plain"


def test_the_size_limit_comes_from_settings(settings):
    settings.ATTACHMENT_MAX_BYTES = 200
    at_limit = PDF + b"%" * (200 - len(PDF))
    assert uploads.inspect_upload(upload("ok.pdf", at_limit)).size == 200
    with pytest.raises(ValidationError) as exc:
        uploads.inspect_upload(upload("big.pdf", at_limit + b"%"))
    assert refusal(exc) == [
        uploads.TOO_BIG.format(size=filesizeformat(201), limit=filesizeformat(200))
    ]


def test_the_default_limit_is_twenty_megabytes(settings):
    if hasattr(settings, "ATTACHMENT_MAX_BYTES"):
        del settings.ATTACHMENT_MAX_BYTES
    limit = 20 * 1024 * 1024
    with pytest.raises(ValidationError) as exc:
        uploads.inspect_upload(temporary_upload("big.pdf", PDF + bytes(limit)))
    assert refusal(exc) == [
        uploads.TOO_BIG.format(size=filesizeformat(limit + len(PDF)), limit="20.0\xa0MB")
    ]


def test_a_long_name_is_shortened_but_keeps_its_extension():
    name = "a" * 250 + ".pdf"
    checked = uploads.inspect_upload(upload(name, PDF))
    assert len(checked.name) == uploads.MAX_NAME_LENGTH
    assert checked.name.endswith(".pdf")
    assert checked.content_type == "application/pdf"


def test_a_path_in_the_name_is_dropped():
    checked = uploads.inspect_upload(upload("../../etc/report.pdf", PDF))
    assert checked.name == "report.pdf"


# Storing an attachment -------------------------------------------------------------------------


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def activity():
    inspection, lead = factories.inspection_with_team()
    return factories.EvidenceActivityFactory(inspection=inspection), lead


def stored_files(root) -> list:
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def test_an_attachment_is_stored_under_a_random_name_with_its_checksum(media, activity):
    evidence, lead = activity
    content = docx()
    attachment = services.attachment_upload(
        activity=evidence,
        by=lead,
        upload=upload("Position statement.docx", content),
        description="The partnership's position statement",
    )
    attachment = Attachment.objects.get(pk=attachment.pk)
    assert attachment.original_name == "Position statement.docx"
    assert attachment.content_type == uploads.OOXML[".docx"][1]
    assert attachment.size == len(content)
    assert attachment.sha256 == hashlib.sha256(content).hexdigest()
    assert attachment.uploaded_by == lead
    assert attachment.description == "The partnership's position statement"
    assert "Position" not in attachment.file.name
    assert attachment.file.name.startswith("evidence/")
    assert attachment.file.name.endswith(".docx")
    path = media / attachment.file.name
    assert path.is_file()
    assert path.resolve().is_relative_to(media.resolve())
    assert path.read_bytes() == content
    history = attachment.history.first()
    assert history.history_user == lead
    assert history.history_change_reason == "Attachment uploaded"


def test_two_files_with_the_same_name_are_both_kept(media, activity):
    evidence, lead = activity
    first = services.attachment_upload(activity=evidence, by=lead, upload=upload("a.pdf", PDF))
    second = services.attachment_upload(
        activity=evidence, by=lead, upload=upload("a.pdf", PDF + b"%v2")
    )
    assert first.file.name != second.file.name
    assert len(stored_files(media)) == 2
    assert {a.original_name for a in Attachment.objects.all()} == {"a.pdf"}


def test_a_refused_file_leaves_nothing_behind(media, activity):
    evidence, lead = activity
    with pytest.raises(ValidationError) as exc:
        services.attachment_upload(activity=evidence, by=lead, upload=upload("x.pdf", EXE))
    assert refusal(exc) == mismatch("x.pdf", ".pdf")
    with pytest.raises(ValidationError):
        services.attachment_upload(
            activity=evidence, by=lead, upload=upload("x.pdf", PDF), description="d" * 301
        )
    assert not Attachment.objects.exists()
    assert stored_files(media) == []


def test_only_cleared_team_members_attach_evidence(media, activity, admin_user):
    evidence, lead = activity
    pending = services.team_member_add(
        inspection=evidence.inspection,
        by=lead,
        user=factories.inspector(),
        role="inspector",
        conflict="worked_there",
    )
    for user in (admin_user, factories.inspector(), pending.user):
        with pytest.raises(PermissionDenied):
            services.attachment_upload(activity=evidence, by=user, upload=upload("a.pdf", PDF))
    assert stored_files(media) == []


def test_nothing_is_attached_to_a_closed_inspection(media, activity):
    evidence, lead = activity
    type(evidence.inspection).objects.filter(pk=evidence.inspection_id).update(status="closed")
    evidence.refresh_from_db()
    with pytest.raises(ValidationError) as exc:
        services.attachment_upload(activity=evidence, by=lead, upload=upload("a.pdf", PDF))
    assert exc.value.messages == [services.CLOSED_INSPECTION.format(status="Closed")]
    assert stored_files(media) == []


def test_attachments_are_archived_not_deleted_and_downloads_are_recorded(media, activity):
    evidence, lead = activity
    member = evidence.inspection.team.exclude(role="lead_inspector").first().user
    attachment = services.attachment_upload(
        activity=evidence, by=lead, upload=upload("a.png", png())
    )
    assert attachment_get(user=member, pk=attachment.pk) == attachment
    services.attachment_download_record(attachment=attachment, by=member, via="api")
    download = AttachmentDownload.objects.get()
    assert (download.user, download.via) == (member, "api")

    archived = services.attachment_archive(attachment=attachment, by=lead, reason="Wrong file")
    assert archived.archived_at is not None
    assert not attachment_list(user=lead).exists()
    assert (media / attachment.file.name).is_file()  # kept: archive, not delete
    assert archived.history.first().history_change_reason == "Wrong file"


def test_attachments_are_invisible_to_anyone_but_cleared_members(media, activity, admin_user):
    evidence, lead = activity
    attachment = services.attachment_upload(activity=evidence, by=lead, upload=upload("a.pdf", PDF))
    for user in (admin_user, factories.inspector()):
        with pytest.raises(Http404):
            attachment_get(user=user, pk=attachment.pk)
        assert not attachment_list(user=user).exists()
    with pytest.raises(PermissionDenied):
        services.attachment_archive(attachment=attachment, by=admin_user, reason="No")
