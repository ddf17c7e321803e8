"""Uploads through every page and API endpoint that takes a file (evidence attachments, a
meeting's minutes and papers): a file just over the size limit, a file whose content is not what
its name says, and names that carry a path are each refused with a message or stored under a
name with no path in it, never written outside MEDIA_ROOT.

The requests are built by hand (multipart bodies with the file name exactly as a hostile client
would send it); Django's test client would otherwise drop the path from the name itself.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template.defaultfilters import filesizeformat
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from cooperation import services as cooperation_services
from cooperation.models import MeetingAttachment
from inspections import services as inspection_services
from inspections.models import Attachment
from scrutiny import uploads
from tests import factories
from tests.cooperation import factories as cooperation_factories
from tests.inspections.test_uploads import EXE, PDF, docx, png

pytestmark = pytest.mark.django_db

BOUNDARY = "scrutiny-upload-hardening"
LIMIT = 20 * 1024 * 1024  # the default ATTACHMENT_MAX_BYTES, as the README says


@pytest.fixture(autouse=True)
def media(settings, tmp_path) -> Path:
    """Uploads go under tmp_path/media; anything written beside it would be outside storage."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def multipart(filename: bytes | str, content: bytes, **fields: str) -> tuple[bytes, str]:
    """A multipart/form-data body with the file name sent byte for byte as given."""
    if isinstance(filename, str):
        filename = filename.encode()
    parts = [
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
        for name, value in fields.items()
    ]
    parts.append(
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="'.encode()
        + filename
        + b'"\r\nContent-Type: application/octet-stream\r\n\r\n'
        + content
        + b"\r\n"
    )
    parts.append(f"--{BOUNDARY}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={BOUNDARY}"


@dataclass
class Endpoint:
    """One way in for a file: a page (form) or an API operation."""

    label: str
    url: str
    client: Client | APIClient
    api: bool
    model: type
    fields: dict
    listing: str  # the page that shows the stored file's name
    download: str  # URL name of the file's download, by the stored row's pk

    def send(self, filename: bytes | str, content: bytes):
        body, content_type = multipart(filename, content, **self.fields)
        return self.client.generic("POST", self.url, body, content_type=content_type)

    def refusal(self, response) -> list[str]:
        """The messages on the file field, as the user is shown them."""
        assert response.status_code == 400, response.content[:500]
        if self.api:
            return response.json()["file"]
        messages = response.context["form"].errors["file"]
        page = html.unescape(response.content.decode())
        assert "There is a problem" in page
        for message in messages:
            assert message in page
        return messages

    def accepted(self, response):
        assert response.status_code == (201 if self.api else 302), response.content[:500]
        return self.model.objects.get()


def _evidence(api: bool) -> Endpoint:
    inspection, lead = factories.inspection_with_team()
    activity = factories.EvidenceActivityFactory(inspection=inspection)
    client = APIClient() if api else Client()
    client.force_login(lead)
    return Endpoint(
        label=f"evidence {'API' if api else 'page'}",
        url=reverse("attachments-list")
        if api
        else reverse("inspections:attachment_upload", args=[activity.pk]),
        client=client,
        api=api,
        model=Attachment,
        fields={"evidence_activity": str(activity.pk), "description": ""}
        if api
        else {"description": ""},
        listing=reverse("inspections:evidence_detail", args=[activity.pk]),
        download="inspections:attachment_download",
    )


def _meeting(api: bool) -> Endpoint:
    meeting = cooperation_factories.MeetingFactory()
    director = cooperation_factories.director("CI")
    client = APIClient() if api else Client()
    client.force_login(director)
    return Endpoint(
        label=f"meeting {'API' if api else 'page'}",
        url=reverse("meetings-files", args=[meeting.pk])
        if api
        else reverse("cooperation:attachment_upload", args=[meeting.pk]),
        client=client,
        api=api,
        model=MeetingAttachment,
        fields={"description": ""},
        listing=reverse("cooperation:meeting_detail", args=[meeting.pk]),
        download="cooperation:attachment_download",
    )


ENDPOINTS = {
    "evidence page": lambda: _evidence(api=False),
    "evidence API": lambda: _evidence(api=True),
    "meeting page": lambda: _meeting(api=False),
    "meeting API": lambda: _meeting(api=True),
}


@pytest.fixture(params=list(ENDPOINTS))
def endpoint(request) -> Endpoint:
    return ENDPOINTS[request.param]()


def files_under(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*") if p.is_file())


def assert_nothing_stored(endpoint: Endpoint, media: Path) -> None:
    assert not endpoint.model.objects.exists()
    assert files_under(media.parent) == []  # nothing in storage, nothing beside it


# Size ----------------------------------------------------------------------------------------


def test_a_file_just_over_the_limit_is_refused_with_its_size_and_the_limit(endpoint, media):
    content = PDF + b"%" * (LIMIT + 1 - len(PDF))
    messages = endpoint.refusal(endpoint.send("evidence.pdf", content))
    assert messages == [
        uploads.TOO_BIG.format(size=filesizeformat(LIMIT + 1), limit=filesizeformat(LIMIT))
    ]
    assert "20.0\xa0MB" in messages[0]
    assert_nothing_stored(endpoint, media)


def test_a_file_at_the_limit_is_accepted(endpoint, media):
    content = PDF + b"%" * (LIMIT - len(PDF))
    stored = endpoint.accepted(endpoint.send("evidence.pdf", content))
    assert stored.size == LIMIT


# Content -------------------------------------------------------------------------------------


def _mismatch(name: str, ext: str) -> list[str]:
    return [uploads.NAME_DOES_NOT_MATCH.format(name=name, ext=ext)]


WRONGLY_TYPED = [
    ("a PNG named .pdf", "report.pdf", png(), _mismatch("report.pdf", ".pdf")),
    ("a program named .pdf", "report.pdf", EXE, _mismatch("report.pdf", ".pdf")),
    ("text named .docx", "report.docx", b"Not a Word document", _mismatch("report.docx", ".docx")),
    (
        "a broken zip named .docx",
        "report.docx",
        b"PK\x03\x04" + bytes(200),
        _mismatch("report.docx", ".docx"),
    ),
    ("a Word document named .png", "chart.png", docx(), _mismatch("chart.png", ".png")),
    ("a PDF named .txt", "notes.txt", PDF, _mismatch("notes.txt", ".txt")),
    (
        "a program",
        "setup.exe",
        EXE,
        [uploads.NOT_ALLOWED_TYPE.format(name="setup.exe")],
    ),
    (
        "a web page",
        "page.html",
        b"<html><script>alert(1)</script></html>",
        [uploads.NOT_ALLOWED_TYPE.format(name="page.html")],
    ),
]


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [case[1:] for case in WRONGLY_TYPED],
    ids=[case[0] for case in WRONGLY_TYPED],
)
def test_content_that_is_not_what_its_name_says_is_refused(
    endpoint, media, name, content, expected
):
    assert endpoint.refusal(endpoint.send(name, content)) == expected
    assert_nothing_stored(endpoint, media)


# Names ---------------------------------------------------------------------------------------


PATH_NAMES = [
    ("../../etc/passwd.pdf", "passwd.pdf"),
    ("..\\..\\x.pdf", "x.pdf"),
    ("/etc/passwd.pdf", "passwd.pdf"),
    ("C:\\Windows\\System32\\report.pdf", "report.pdf"),
    ("\\\\server\\share\\report.pdf", "report.pdf"),
    ("..%2F..%2Freport.pdf", "..%2F..%2Freport.pdf"),  # not decoded: an odd name, no path
    ("re\x00port.pdf", "report.pdf"),
    ("report\x01\x1f.pdf", "report.pdf"),
]


@pytest.mark.parametrize(("sent", "shown"), PATH_NAMES)
def test_a_path_in_the_name_is_dropped_and_the_file_kept_inside_storage(
    endpoint, media, sent, shown
):
    stored = endpoint.accepted(endpoint.send(sent, PDF))
    assert stored.original_name == shown
    path = Path(stored.file.path).resolve()
    assert path.is_relative_to(media.resolve())
    assert files_under(media.parent) == [path]
    assert shown not in stored.file.name  # stored under a random name of its own

    page = html.unescape(endpoint.client.get(endpoint.listing).content.decode())
    assert shown in page
    if sent != shown:
        assert sent not in page
    download = endpoint.client.get(reverse(endpoint.download, args=[stored.pk]))
    assert download.status_code == 200
    assert download["Content-Disposition"] == f'attachment; filename="{shown}"'


@pytest.mark.parametrize("sent", ["..", ".", "../", "..\\", "/", "\x00"])
def test_a_name_that_is_only_a_path_is_no_file_at_all(endpoint, media, sent):
    response = endpoint.send(sent, PDF)
    assert response.status_code == 400
    if endpoint.api:
        assert response.json()["file"] == ["No file was submitted."]
    else:
        assert response.context["form"].errors["file"] == ["Choose a file to upload."]
    assert_nothing_stored(endpoint, media)


def test_a_nul_byte_cannot_hide_the_real_type(endpoint, media):
    """ "report.pdf<NUL>.exe" is read without the NUL: report.pdf.exe, not a type we take."""
    response = endpoint.send("report.pdf\x00.exe", EXE)
    assert endpoint.refusal(response) == [uploads.NOT_ALLOWED_TYPE.format(name="report.pdf.exe")]
    assert_nothing_stored(endpoint, media)


# The services, whatever calls them -----------------------------------------------------------


SERVICE_NAMES = [
    ("../../etc/passwd.pdf", "passwd.pdf"),
    ("..\\..\\x.pdf", "x.pdf"),
    ("C:\\Windows\\report.pdf", "report.pdf"),
    ("re\x00port.pdf", "report.pdf"),
    ("line\nbreak\r.pdf", "linebreak.pdf"),
    ("report\u202egnp.pdf", "reportgnp.pdf"),  # a right-to-left override hides the real end
]


@pytest.mark.parametrize(("sent", "shown"), SERVICE_NAMES)
def test_the_upload_check_itself_drops_paths_and_control_characters(sent, shown):
    """Pages and the API get names already cleaned by Django's multipart parser; a command,
    task or test calling the services hands over a name as it is, and gets the same result."""
    checked = uploads.inspect_upload(SimpleUploadedFile(sent, PDF))
    assert checked.name == shown


@pytest.mark.parametrize("sent", ["...", "\\", "C:\\..\\", "\x00\x01"])
def test_a_name_with_nothing_left_is_called_upload_and_refused(sent):
    with pytest.raises(ValidationError) as exc:
        uploads.inspect_upload(SimpleUploadedFile(sent, PDF))
    assert exc.value.message_dict["file"] == _mismatch("upload", "none")


def test_both_services_store_the_clean_name(media):
    inspection, lead = factories.inspection_with_team()
    activity = factories.EvidenceActivityFactory(inspection=inspection)
    attachment = inspection_services.attachment_upload(
        activity=activity, by=lead, upload=SimpleUploadedFile("..\\..\\evidence.pdf", PDF)
    )
    meeting = cooperation_factories.MeetingFactory()
    minutes = cooperation_services.meeting_attachment_upload(
        meeting=meeting,
        by=cooperation_factories.director("CI"),
        upload=SimpleUploadedFile("C:\\minutes\\minutes.pdf", PDF),
    )
    assert (attachment.original_name, minutes.original_name) == ("evidence.pdf", "minutes.pdf")
    for stored in (attachment, minutes):
        assert Path(stored.file.path).resolve().is_relative_to(media.resolve())
