from django.contrib.auth.views import LogoutView
from django.urls import path

from . import views

urlpatterns = [
    path("register/", views.register, name="register"),
    path("login/", views.TalkiesLoginView.as_view(), name="login"),
    # Django's LogoutView accepts only POST, so a link or an image tag on another page cannot log you out.
    path("logout/", LogoutView.as_view(), name="logout"),
]
