from django.urls import path

from . import views

app_name = "lti"
urlpatterns = [
    path("jwks.json", views.jwks, name="jwks"),
    path("login", views.login, name="login"),
    path("launch", views.launch, name="launch"),
    path("app/", views.app, name="app"),
]
