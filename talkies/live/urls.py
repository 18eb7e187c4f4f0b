from django.urls import path

from . import views

urlpatterns = [
    path("threads/<int:thread_id>/", views.thread_events, name="live-thread-events"),
    path("moderation/", views.moderation_events, name="live-moderation-events"),
]
