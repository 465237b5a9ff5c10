"""Account pages the portal adds under /accounts/ (the staff verification link and the
username reminder), beside Django's own sign-in pages."""

from django.urls import path

from progress_apply import views

app_name = "portal_accounts"
urlpatterns = [
    path("verify/<str:token>/", views.verify_account, name="verify"),
    path("forgotten-username/", views.forgotten_username, name="forgotten-username"),
]
