from django.urls import path

from . import course_views, service_views, views

app_name = "lti"
urlpatterns = [
    # The requests every person makes first, in the order they come.
    path("login", views.login, name="login"),
    path("launch", views.launch, name="launch"),
    path("app/", views.app, name="app"),
    path("jwks.json", views.jwks, name="jwks"),
    path("deep-link", views.deep_link, name="deep_link"),
    path("dashboard", views.dashboard, name="dashboard"),
    path("grades", service_views.grade_delivery, name="grades"),
    path("roster", service_views.roster, name="roster"),
    path("settings", course_views.settings, name="settings"),
    path("scenarios", course_views.scenarios, name="scenarios"),
    path("scenarios/editor", course_views.scenario_editor, name="scenario_editor"),
    path("register", service_views.register, name="register"),
]
