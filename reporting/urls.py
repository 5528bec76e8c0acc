from django.urls import path

from reporting import views

app_name = "reporting"

urlpatterns = [
    path("", views.report_form, name="report"),
    path("status/", views.status, name="status"),
    path("status/reply/", views.reply, name="reply"),
    path("status/leave/", views.leave, name="leave"),
]
