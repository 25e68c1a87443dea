from django.urls import path

from . import views

app_name = "maydan"
urlpatterns = [
    path("agency/<str:token>/", views.agency_link, name="agency-link"),
]
