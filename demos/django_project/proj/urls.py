from django.contrib import admin
from django.urls import path

from jobs import views

urlpatterns = [
    path("", views.index, name="index"),
    path("api/reports/", views.start_report, name="start_report"),
    path("api/tasks/<str:task_id>/", views.task_status, name="task_status"),
    path("reports/<str:task_id>/", views.progress_page, name="progress_page"),
    path("admin/", admin.site.urls),
]
