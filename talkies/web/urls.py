from django.urls import path

from talkies.comments import feeds

from . import forms_csrf, views
from .views import moderate

urlpatterns = [
    path("", views.home, name="home"),
    path("csrf-token/", forms_csrf.csrf_token_view, name="csrf-token"),
    path("stories/<slug:slug>/", views.story_detail, name="story-detail"),
    path("stories/<slug:slug>/reader-state/", views.story_reader_state, name="story-reader-state"),
    path("stories/<slug:slug>/comments/", views.comment_post, name="comment-post"),
    path("stories/<slug:slug>/comments/<int:pk>/", views.comment_permalink, name="comment-permalink"),
    path("stories/<slug:slug>/thread/close/", views.thread_close_view, name="thread-close"),
    path("comments/<int:pk>/vote/", views.comment_vote_view, name="comment-vote"),
    path("comments/<int:pk>/edit/", views.comment_edit_view, name="comment-edit"),
    path("comments/<int:pk>/remove/", views.comment_remove_view, name="comment-remove"),
    path("comments/<int:pk>/feature/", views.comment_feature_view, name="comment-feature"),
    path("comments/<int:pk>/report/", views.comment_report_view, name="comment-report"),
    path("feeds/threads/<int:pk>.atom", feeds.ThreadCommentsFeed(), name="feed-thread"),
    path("feeds/stories/<slug:slug>.atom", feeds.StoryCommentsFeed(), name="feed-story"),
    path("feeds/comments.atom", feeds.SiteCommentsFeed(), name="feed-comments"),
    path("feeds/stories.atom", feeds.SiteStoriesFeed(), name="feed-stories"),
    path("moderate/", moderate.moderate_queue, name="moderate"),
    path("moderate/bulk/", moderate.moderate_bulk_action, name="moderate-bulk"),
    path("moderate/settings/", moderate.moderate_settings, name="moderate-settings"),
    path("moderate/comments/<int:pk>/", moderate.moderate_item, name="moderate-item"),
    path("moderate/comments/<int:pk>/act/", moderate.moderate_comment_action, name="moderate-comment"),
    path("moderate/authors/<int:user_id>/", moderate.moderate_author_page, name="moderate-author"),
    path("moderate/authors/<int:user_id>/act/", moderate.moderate_author_action, name="moderate-author-action"),
    path("moderate/guests/<str:guest_key>/act/", moderate.moderate_guest_action, name="moderate-guest-action"),
    path("films/<slug:slug>/", views.film_detail, name="film-detail"),
    path("films/<slug:slug>/rating/", views.film_rate, name="film-rate"),
    path("films/<slug:slug>/rating/remove/", views.film_rating_remove, name="film-rating-remove"),
    path("franchises/<slug:slug>/", views.franchise_detail, name="franchise-detail"),
    path("people/<slug:slug>/", views.person_detail, name="person-detail"),
    path("characters/<slug:slug>/", views.character_detail, name="character-detail"),
]
