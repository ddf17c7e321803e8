"""A person's calendar as an iCalendar (RFC 5545) feed, built with the `icalendar` library:
one all-day event per item, each with a stable UID so calendar programs update rather than
duplicate it."""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable

import icalendar
from django.conf import settings
from django.utils import timezone

from .selectors import CalendarItem

UID_DOMAIN = "scrutiny.invalid"


def calendar_ics(
    items: Iterable[CalendarItem], *, name: str, absolute: Callable[[str], str]
) -> bytes:
    """The feed for these items; `absolute` turns a path into a full link."""
    calendar = icalendar.Calendar()
    calendar.add("prodid", f"-//{settings.SERVICE_NAME}//Reminders calendar//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", name)
    stamp = timezone.now().astimezone(datetime.UTC).replace(microsecond=0)
    for item in items:
        event = icalendar.Event()
        event.add("uid", f"{item.uid}@{UID_DOMAIN}")
        event.add("dtstamp", stamp)
        event.add("dtstart", item.on)
        event.add("dtend", item.on + datetime.timedelta(days=1))
        event.add("summary", item.summary)
        link = absolute(item.url)
        event.add("description", f"{item.description}\n\n{link}" if item.description else link)
        event.add("url", link)
        event.add("transp", "TRANSPARENT")  # a deadline, not time taken up
        calendar.add_component(event)
    return calendar.to_ical()
