"""The shortcuts long lists use give exactly what Django and DRF give: record URLs and choice
labels in the API (scrutiny.api_fields), links in pages (`{% id_url %}`) and the options of a
select (templates/django/forms/widgets/select.html)."""

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates
from django.template import Context, Template
from django.utils.safestring import mark_safe
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.test import APIRequestFactory

from cooperation.models import NoSurprisesNotice
from scrutiny.api_fields import DisplayField, IdentityUrlField
from scrutiny.forms import DesignSystemFormRenderer
from tests.cooperation import factories as cooperation_factories

pytestmark = pytest.mark.django_db


class _DrfNotice(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="no-surprises-notices-detail")
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)

    class Meta:
        model = NoSurprisesNotice
        fields = ["id", "url", "kind_display"]


class _FastNotice(serializers.ModelSerializer):
    url = IdentityUrlField(view_name="no-surprises-notices-detail")
    kind_display = DisplayField(source="get_kind_display")

    class Meta:
        model = NoSurprisesNotice
        fields = ["id", "url", "kind_display"]


@pytest.mark.parametrize("query", ["", "?format=json"])
def test_record_urls_and_labels_are_those_drf_gives(query):
    notices = [cooperation_factories.NoticeFactory() for _ in range(3)]
    request = APIRequestFactory().get(f"/api/v1/no-surprises-notices/{query}")
    context = {"request": Request(request)}
    fast = _FastNotice(notices, many=True, context=context).data
    drf = _DrfNotice(notices, many=True, context=context).data
    assert fast == drf
    assert [row["url"] for row in fast] == [
        f"http://testserver/api/v1/no-surprises-notices/{n.pk}/{query}" for n in notices
    ]
    assert fast[0]["kind_display"] == notices[0].get_kind_display()


def test_a_record_url_without_a_request_is_a_path():
    notice = cooperation_factories.NoticeFactory()
    field = IdentityUrlField(view_name="no-surprises-notices-detail")
    field.bind("url", _FastNotice())
    assert field.get_url(notice, field.view_name, None, None) == (
        f"/api/v1/no-surprises-notices/{notice.pk}/"
    )


def test_id_url_gives_what_the_url_tag_gives():
    template = Template(
        "{% load scrutiny_fast %}{% for pk in ids %}"
        "{% id_url 'cooperation:notice_detail' pk %}|{% url 'cooperation:notice_detail' pk %};"
        "{% endfor %}"
    )
    rendered = template.render(Context({"ids": [1, 42, 9876543210, 123456789012]}))
    pairs = [item.split("|") for item in rendered.rstrip(";").split(";")]
    assert len(pairs) == 4
    assert all(ours == django_s for ours, django_s in pairs)
    assert pairs[1][0].endswith("/42/")


class _InheritingSelect(forms.Select):
    option_inherits_attrs = True  # each option gets the select's attributes (and its own id)


class _OwnOptionTemplate(forms.Select):
    option_template_name = "django/forms/widgets/input_option.html"


class _Filters(forms.Form):
    kind = forms.ChoiceField(
        required=False,
        choices=[
            ("", "Any"),
            ("x", 'X & <y> "z"'),
            ("safe", mark_safe("<b>Bold</b>")),
            ("Group <1>", [("1", "One"), ("2", "Two")]),
        ],
    )
    bodies = forms.MultipleChoiceField(required=False, choices=[(1, "CI"), (2, "HIS")])
    inheriting = forms.ChoiceField(
        required=False,
        choices=[("a", "A"), ("b", "B")],
        widget=_InheritingSelect(attrs={"data-x": 'q"uote', "required": True, "hidden": False}),
    )
    own = forms.ChoiceField(required=False, choices=[("a", "A")], widget=_OwnOptionTemplate)


@pytest.mark.parametrize(
    "data", [{}, {"kind": "1", "bodies": ["2"], "inheriting": "b"}, {"kind": "x", "own": "a"}]
)
def test_the_site_select_renders_the_options_as_django_does(data):
    form = _Filters(data)
    for name in ("kind", "bodies", "inheriting", "own"):
        bound = form[name]
        ours = bound.field.widget.render(
            name, bound.value(), {"id": f"id_{name}"}, renderer=DesignSystemFormRenderer()
        )
        # DjangoTemplates renders with Django's own widget templates (not the site's).
        assert ours == bound.field.widget.render(
            name, bound.value(), {"id": f"id_{name}"}, renderer=DjangoTemplates()
        )
        assert ("<option" in ours) == (name != "own")
