"""Read-only serializer fields for long API lists: the same output as DRF's own fields, without
the per-row work that dominates a page of 50 records.

- `DisplayField(source="get_status_display")`: a choice's label (or `__str__`). DRF, given a
  method as the source, runs `inspect.signature()` on it for every row to check it takes no
  arguments; this calls it directly.
- `IdentityUrlField(view_name=...)`: the record's own URL, like `HyperlinkedIdentityField`, with
  the URL reversed once per response and the id put in for each row (reversing it for every row
  costs a URL resolver walk and an absolute-URI build each time)."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

_PK_SENTINEL = "__scrutiny_pk__"


class DisplayField(serializers.CharField):
    """What a no-argument method of the record (or of a related record) gives, as text
    (read-only): `DisplayField(source="get_kind_display")`, `DisplayField(source="__str__")`,
    `DisplayField(source="meeting.__str__")`."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs["read_only"] = True
        super().__init__(**kwargs)

    def get_attribute(self, instance: Any) -> Any:
        *path, method = self.source_attrs
        for attr in path:
            instance = getattr(instance, attr)
            if instance is None:
                return None
        return getattr(instance, method)()


class IdentityUrlField(serializers.HyperlinkedIdentityField):
    """`HyperlinkedIdentityField` for records with integer ids: the URL is reversed once per
    response (with a placeholder for the id) and completed for each row. Anything else (another
    lookup field, an id that is not an integer) is reversed as DRF does."""

    def get_url(self, obj: Any, view_name: str, request: Any, format: str | None) -> str | None:
        pk = getattr(obj, "pk", None)
        if self.lookup_field != "pk" or type(pk) is not int:
            return super().get_url(obj, view_name, request, format)
        cached = getattr(self, "_url_parts", None)
        if cached is None or cached[0] is not request or cached[1] != (view_name, format):
            url = self.reverse(
                view_name,
                kwargs={self.lookup_url_kwarg: _PK_SENTINEL},
                request=request,
                format=format,
            )
            parts = url.split(_PK_SENTINEL)
            if len(parts) != 2:
                return super().get_url(obj, view_name, request, format)
            cached = self._url_parts = (request, (view_name, format), parts[0], parts[1])
        return f"{cached[2]}{pk}{cached[3]}"
