from django.urls import path

from . import views

app_name = "lti"
urlpatterns = [
    path("jwks.json", views.jwks, name="jwks"),
    path("login", views.login, name="login"),
    path("launch", views.launch, name="launch"),
    path("deep-link", views.deep_link, name="deep_link"),
    path("app/", views.app, name="app"),
    path("grades", views.grade_delivery, name="grades"),
    path("roster", views.roster, name="roster"),
    path("register", views.register, name="register"),
]
