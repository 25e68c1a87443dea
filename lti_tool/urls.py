from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("maydan/", include("maydan.urls")),
    path("workbench/", include("workbench.urls")),
]
