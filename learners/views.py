"""The staff learner list and its bulk actions (a learner's record: learners.record_views)."""

from __future__ import annotations

import uuid

from django.http import Http404, HttpResponse, QueryDict
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from learners import bulk
from learners.filters import MORE_FILTERS, PAGE_SIZES, SORT_LABELS, SORTS, LearnerFilter
from learners.models import Learner, Provider, Role
from learners.services import learner_list_page, provider_choice_lists
from picsweb.access import request_access, role_required
from picsweb.field_messages import field_error
from picsweb.selection import SelectionError, resolve_selection
from picsweb.typing import AuthenticatedHttpRequest

# Query keys that shape the page rather than choose learners.
VIEW_KEYS = ("page", "sort", "per_page", "show", "provider")


def _list_provider(request: AuthenticatedHttpRequest, code: str | None) -> Provider:
    return request_access(request).provider(Role.LEARNER_LIST, code)


def _filter_data(query: QueryDict) -> QueryDict:
    data = query.copy()
    for key in VIEW_KEYS:
        data.pop(key, None)
    return data


@role_required(Role.LEARNER_LIST)
def learner_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    provider = _list_provider(request, request.GET.get("provider"))
    choices = provider_choice_lists(provider=provider)
    learner_filter = LearnerFilter(
        _filter_data(request.GET), Learner.objects.filter(provider=provider), choices
    )
    sort = request.GET.get("sort", "name")
    if sort.lstrip("-") not in SORTS:
        sort = "name"
    descending = sort.startswith("-")
    ordering = [f"-{c}" if descending else c for c in SORTS[sort.lstrip("-")]]
    per_page = int(request.GET["per_page"]) if request.GET.get("per_page", "").isdigit() else 25
    per_page = per_page if per_page in PAGE_SIZES else 25
    valid = learner_filter.is_valid()
    page = learner_list_page(
        learners=learner_filter.qs if valid else Learner.objects.none(),
        ordering=ordering,
        per_page=per_page,
        number=request.GET.get("page"),
    )
    in_use = learner_filter.filters_in_use() if valid else set()
    roles = request_access(request).roles_at(provider)
    shown_more = {n for n in MORE_FILTERS if n in in_use or n in request.GET.getlist("show")}
    return render(
        request,
        "learners/list.html",
        {
            "provider": provider,
            "providers": request_access(request).providers(Role.LEARNER_LIST),
            "filter": learner_filter,
            "form": learner_filter.form,
            "page": page,
            "sort": sort,
            "sort_labels": SORT_LABELS,
            "page_sizes": PAGE_SIZES,
            "per_page": per_page,
            "more_filters": MORE_FILTERS,
            "shown_more": shown_more,
            "actions": bulk.actions_for(roles, in_use),
            "waiting_actions": bulk.unavailable_for(roles, in_use),
            "filter_query": _filter_data(request.GET).urlencode(),
            "may_edit": Role.EDIT_LEARNERS in roles,
        },
    )


@require_POST
@role_required(Role.LEARNER_LIST)
def learner_bulk(request: AuthenticatedHttpRequest) -> HttpResponseBase:
    provider = _list_provider(request, request.POST.get("provider"))
    filter_query = request.POST.get("filters", "")
    filters = QueryDict(filter_query)
    learner_filter = LearnerFilter(
        filters, Learner.objects.filter(provider=provider), provider_choice_lists(provider=provider)
    )
    if not learner_filter.is_valid():
        raise Http404
    action = bulk.get_action(request.POST.get("action", ""))
    roles = request_access(request).roles_at(provider)
    if action is None or not action.applies(roles, learner_filter.filters_in_use()):
        field_error(request, "bulk-action", "Choose what to do with the selected learners")
        return _back_to_list(provider, filter_query)
    try:
        codes = [str(uuid.UUID(code)) for code in request.POST.getlist("learner")]
    except ValueError:
        raise Http404 from None
    try:
        learners, count = resolve_selection(
            filtered=learner_filter.qs, codes=codes, select_all=request.POST.get("select_all")
        )
    except SelectionError as error:
        field_error(request, "select-all-matching", error.message)
        return _back_to_list(provider, filter_query)
    selection = bulk.Selection(
        user=request.user,
        provider=provider,
        learners=learners,
        count=count,
        filters=dict(filters.lists()),
    )
    return action.run(selection)


def _back_to_list(provider: Provider, filter_query: str) -> HttpResponse:
    query = QueryDict(filter_query, mutable=True)
    query["provider"] = str(provider.code)
    response = redirect("learners:list")
    response["Location"] += f"?{query.urlencode()}"
    return response
