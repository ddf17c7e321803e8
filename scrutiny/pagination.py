"""Page-number pagination for pages: the page of results plus ready-made links that keep the
current filters and sort."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.paginator import Page, Paginator
from django.http import HttpRequest, QueryDict

DEFAULT_PER_PAGE = 25


@dataclass(frozen=True)
class PageLink:
    number: int | None  # None is a gap ("…")
    url: str
    current: bool = False


@dataclass(frozen=True)
class Pagination:
    page: Page
    links: list[PageLink]
    previous_url: str | None
    next_url: str | None

    @property
    def count(self) -> int:
        return self.page.paginator.count

    @property
    def num_pages(self) -> int:
        return self.page.paginator.num_pages


def _url(query: QueryDict, number: int) -> str:
    q = query.copy()
    q["page"] = str(number)
    return f"?{q.urlencode()}"


def paginate(
    request: HttpRequest, items: Any, per_page: int = DEFAULT_PER_PAGE, window: int = 2
) -> Pagination:
    """A page of `items` (a queryset or list) for ?page=; a bad page number gives page 1."""
    paginator = Paginator(items, per_page)
    page = paginator.get_page(request.GET.get("page"))
    query = request.GET
    links: list[PageLink] = []
    last_shown = 0
    for number in paginator.page_range:
        near = abs(number - page.number) <= window
        if number in (1, paginator.num_pages) or near:
            if number - last_shown > 1:
                links.append(PageLink(number=None, url=""))
            links.append(PageLink(number, _url(query, number), number == page.number))
            last_shown = number
    return Pagination(
        page=page,
        links=links,
        previous_url=_url(query, page.previous_page_number()) if page.has_previous() else None,
        next_url=_url(query, page.next_page_number()) if page.has_next() else None,
    )
