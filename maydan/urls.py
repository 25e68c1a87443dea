from django.urls import path

from . import views
from .notify import views as notify_views
from .sessions import views as session_views
from .simulation import views as simulation_views

app_name = "maydan"
urlpatterns = [
    path("agency/<str:token>/", views.agency_link, name="agency-link"),
    path("mail/unsubscribe/<str:token>/", notify_views.unsubscribe, name="notify-unsubscribe"),
    path("mail/preferences/<str:token>/", notify_views.preferences, name="notify-preferences"),
    path("mail/confirm/<str:token>/", notify_views.confirm, name="notify-confirm"),
    path("mail/open/<str:token>/", notify_views.opened, name="notify-open"),
    path("openings/<str:token>/", views.opening_link, name="opening-link"),
    path("verify/<str:code>", views.verify, name="verify"),
    path("simulation/media/<str:name>", simulation_views.simulation_media, name="simulation-media"),
    path("feed/<str:key>.ics", session_views.feed, name="session-feed"),
    path("feed/<str:key>/session/<int:session_id>.ics", session_views.session_ics, name="session-ics"),
]
