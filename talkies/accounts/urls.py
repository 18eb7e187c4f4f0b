from django.contrib.auth import views as auth_views
from django.urls import path

from . import views

urlpatterns = [
    path("register/", views.register, name="register"),
    path("login/", views.TalkiesLoginView.as_view(), name="login"),
    # Django's LogoutView accepts only POST, so a link or an image tag on another page cannot log you out.
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("settings/", views.account_settings, name="account-settings"),
    path("verify/resend/", views.resend_verification, name="resend-verification"),
    path("verify/<str:token>/", views.verify_email, name="verify-email"),
    path("unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("password-reset/", views.TalkiesPasswordResetView.as_view(), name="password_reset"),
    path(
        "password-reset/sent/",
        auth_views.PasswordResetDoneView.as_view(template_name="accounts/password_reset_done.html"),
        name="password_reset_done",
    ),
    path(
        "password-reset/<uidb64>/<token>/",
        views.TalkiesPasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "password-reset/done/",
        auth_views.PasswordResetCompleteView.as_view(template_name="accounts/password_reset_complete.html"),
        name="password_reset_complete",
    ),
]
