"""The learner's course search (by distance), a course's page and favourites (issue 16)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from picsweb.access import request_access, role_required
from picsweb.models import Role
from picsweb.typing import AuthenticatedHttpRequest
from progress_apply import search
from progress_apply.application_forms import CourseForm
from progress_apply.models import Course, Favourite
from progress_apply.profile_forms import CourseSearchForm
from progress_apply.profile_views import own_learner

PER_PAGE = 20


@login_required
def course_search(request: AuthenticatedHttpRequest) -> HttpResponse:
    learner = own_learner(request)
    form = CourseSearchForm(request.GET or None)
    context: dict[str, object] = {"form": form, "learner": learner, "searched": False}
    if not request.GET:
        form = CourseSearchForm(initial={"location": learner.postcode, "distance": "15"})
        context["form"] = form
        return render(request, "progress_apply/course_search.html", context)
    if not form.is_valid():
        return render(request, "progress_apply/course_search.html", context, status=400)
    data = form.cleaned_data
    text = data["location"].strip() or learner.postcode
    miles = None if data["distance"] in ("", "any") else int(data["distance"])
    context.update(searched=True, location_text=text)
    place = search.place_for(text) if text else None
    if text and place is None:
        context["unknown_place"] = True
        return render(request, "progress_apply/course_search.html", context)
    if place is None and miles is not None:  # no place to measure the distance from
        context["needs_place"] = True
        return render(request, "progress_apply/course_search.html", context)
    filters = search.Filters(
        keyword=data["q"],
        qualification_type_id=data["qualification_type"].pk if data["qualification_type"] else None,
        level=data["level"],
        study_mode=data["study_mode"],
        start_after=data["start_after"],
        kind=data["kind"],
    )
    courses = search.course_search(place=place, miles=miles, filters=filters)
    page = search.courses_page(courses, request.GET.get("page"), PER_PAGE)
    favourites = set(
        Favourite.objects.filter(learner=learner, course__in=page.object_list).values_list(
            "course_id", flat=True
        )
    )
    query = request.GET.copy()
    query.pop("page", None)
    context.update(
        place=place,
        miles=miles,
        page=page,
        rows=[(c, search.miles_of(c), c.pk in favourites) for c in page.object_list],
        query=query.urlencode(),
        wider=next((m for m in search.DISTANCES if miles is not None and m > miles), None),
    )
    return render(request, "progress_apply/course_search.html", context)


@login_required
def course_detail(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    learner = own_learner(request)
    course = get_object_or_404(
        Course.objects.select_related("provider", "qualification_type", "standard"), code=code
    )
    favourite = Favourite.objects.filter(learner=learner, course=course).exists()
    application = learner.applications.filter(course=course).exclude(status="withdrawn").first()
    return render(
        request,
        "progress_apply/course_detail.html",
        {"course": course, "learner": learner, "favourite": favourite, "application": application},
    )


@require_POST
@login_required
def course_favourite(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    """Saves the course to the learner's favourites, or takes it off (toggle)."""
    learner = own_learner(request)
    course = get_object_or_404(Course, code=code)
    found = Favourite.objects.filter(learner=learner, course=course)
    if found.exists():
        found.delete()
        messages.success(request, f"{course.title} is no longer in your favourites.")
    else:
        Favourite.objects.get_or_create(learner=learner, course=course)
        messages.success(request, f"{course.title} is saved in your favourites.")
    return redirect("progress_apply:course", code=course.code)


# --- the provider's own courses (admissions staff; the admin has the same) ----------------------


@role_required(Role.ADMISSIONS)
def staff_courses(request: AuthenticatedHttpRequest) -> HttpResponse:
    courses = request_access(request).scoped(Course.objects.all(), Role.ADMISSIONS)
    page = Paginator(courses.select_related("provider").order_by("title", "pk"), 50).get_page(
        request.GET.get("page")
    )
    return render(request, "progress_apply/staff_courses.html", {"page": page})


@role_required(Role.ADMISSIONS)
def staff_course_edit(request: AuthenticatedHttpRequest, code: str | None = None) -> HttpResponse:
    access = request_access(request)
    course = access.get(Course.objects.all(), Role.ADMISSIONS, code=code) if code else None
    form = CourseForm(
        request.POST if request.method == "POST" else None,
        instance=course,
        providers=access.providers(Role.ADMISSIONS),
    )
    if request.method == "POST" and form.is_valid():
        saved = form.save()
        messages.success(request, f"{saved.title} is saved.")
        return redirect("progress_apply:staff-courses")
    return render(
        request,
        "progress_apply/staff_course_form.html",
        {"form": form, "course": course},
        status=400 if request.method == "POST" else 200,
    )
