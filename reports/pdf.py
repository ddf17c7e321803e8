"""Rendering a report's HTML to a tagged PDF with WeasyPrint.

Every page carries the report's title as a running header, its status (Draft or Final) and its
page number, from CSS @page margin boxes (reports/pdf.css). The PDF is tagged (PDF/UA-1: a
structure tree, the document's language and title), for screen readers. WeasyPrint fetches
nothing from the network: only this site's own static files and data: URLs are read."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone

if TYPE_CHECKING:
    from .content import Document
    from .models import GeneratedReport

STYLESHEET = Path(__file__).resolve().parent / "pdf.css"
PDF_VARIANT = "pdf/ua-1"  # tagged, with the language and title the viewer reads out


def _allowed_roots() -> list[Path]:
    roots = [Path(d[1] if isinstance(d, tuple) else d) for d in settings.STATICFILES_DIRS]
    return [root.resolve() for root in roots]


def _fetcher():
    """A URL fetcher that reads only data: URLs and files under this site's static
    directories (WeasyPrint skips anything it refuses)."""
    from urllib.parse import unquote, urlsplit

    from weasyprint.urls import URLFetcher

    class LocalOnlyFetcher(URLFetcher):
        def fetch(self, url: str, headers: Any = None) -> Any:
            if url.startswith("file:"):
                path = Path(unquote(urlsplit(url).path)).resolve()
                if not any(path.is_relative_to(root) for root in _allowed_roots()):
                    raise ValueError(f"Reports do not read {path}")
            return super().fetch(url, headers)

    return LocalOnlyFetcher(allowed_protocols={"data", "file"}, timeout=5)


def render_html(document: Document, report: GeneratedReport) -> str:
    return render_to_string(
        document.template,
        {
            **document.context,
            "document": document,
            "report": report,
            "made_at": timezone.localtime(),
        },
    )


def render_pdf(document: Document, report: GeneratedReport) -> bytes:
    from weasyprint import CSS, HTML

    html = render_html(document, report)
    return HTML(string=html, base_url=str(settings.BASE_DIR), url_fetcher=_fetcher()).write_pdf(
        stylesheets=[CSS(filename=str(STYLESHEET))], pdf_variant=PDF_VARIANT
    )
