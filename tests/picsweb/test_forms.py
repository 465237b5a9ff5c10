"""Messages that name their field (picsweb.forms.NamedErrorsMixin), the "Error: " title and the
current navigation item."""

from django import forms
from django.template import Context, Template

from picsweb.forms import NamedErrorsForm
from picsweb.navigation import nav_links


class Filters(NamedErrorsForm):
    standard = forms.DecimalField(label="Standard code", required=False, max_value=99999)
    year = forms.IntegerField(label="Start year", required=False, min_value=2000)
    site = forms.ChoiceField(label="Site", choices=[("1", "Leeds")], required=False)
    cohort = forms.CharField(label="AS Cohort", max_length=3, required=False)
    starts = forms.DateField(label="Starts", required=False)
    own = forms.IntegerField(label="Own", required=False, error_messages={"invalid": "Mine"})


def errors(**data):
    return Filters(data).errors


def test_each_built_in_message_names_its_field():
    assert errors(standard="abc") == {"standard": ["Standard code must be a number"]}
    assert errors(standard="100000") == {"standard": ["Standard code must be 99999 or less"]}
    assert errors(year="x") == {"year": ["Start year must be a whole number"]}
    assert errors(year="1999") == {"year": ["Start year must be 2000 or more"]}
    assert errors(site="9") == {"site": ["Site must be one of the choices in the list"]}
    assert errors(cohort="ABCD") == {"cohort": ["AS Cohort must be 3 characters or fewer"]}
    assert errors(starts="31/02") == {"starts": ["Starts must be a real date"]}


def test_a_message_the_field_sets_itself_is_kept():
    assert errors(own="x") == {"own": ["Mine"]}


def test_the_title_says_error_when_a_form_on_the_page_has_errors():
    title = Template("{% load picsweb_tags %}{% error_title_prefix %}Learners")
    assert title.render(Context({"form": Filters({"standard": "abc"})})) == "Error: Learners"
    assert title.render(Context({"form": Filters({"standard": "1"})})) == "Learners"
    assert title.render(Context({"form": Filters()})) == "Learners"  # unbound: nothing shown yet
    assert title.render(Context({"page_errors": True})) == "Error: Learners"


def test_the_current_navigation_item_is_the_page_or_the_section_it_is_in():
    links = [("Home", "/"), ("Learners", "/learners/"), ("My jobs", "/jobs/")]
    current = lambda path: [(n.label, n.current) for n in nav_links(path, links) if n.current]  # noqa: E731
    assert current("/") == [("Home", "page")]
    assert current("/learners/") == [("Learners", "page")]
    assert current("/learners/abc/") == [("Learners", "true")]
    assert current("/payments/") == []
