from django.urls import path

from . import views

app_name = "sandbox"
urlpatterns = [
    path("", views.index, name="index"),
    path("launch", views.launch, name="launch"),
    path("authorize", views.authorize, name="authorize"),
    path("jwks.json", views.jwks, name="jwks"),
    path("token", views.token, name="token"),
]
