from django.urls import path

from . import views
from .sessions import views as session_views

app_name = "maydan"
urlpatterns = [
    path("agency/<str:token>/", views.agency_link, name="agency-link"),
    path("verify/<str:code>", views.verify, name="verify"),
    path("feed/<str:key>.ics", session_views.feed, name="session-feed"),
    path("feed/<str:key>/session/<int:session_id>.ics", session_views.session_ics, name="session-ics"),
]
