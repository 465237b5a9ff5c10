from django.urls import path

from learners import views

app_name = "learners"
urlpatterns = [
    path("", views.learner_list, name="list"),
    path("bulk/", views.learner_bulk, name="bulk"),
    path("<uuid:code>/", views.learner_detail, name="detail"),
]
