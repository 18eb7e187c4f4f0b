import datetime

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from talkies.accounts.models import User
from talkies.comments.models import Comment, Thread, Vote
from talkies.comments.selectors import VISIBLE
from talkies.comments.services import (
    REMOVED_PLACEHOLDER,
    comment_create,
    comment_edit,
    comment_remove,
    comment_vote,
)
from talkies.lib.errors import PermissionDenied, ServiceError
from talkies.lib.scoring import wilson_lower_bound


def make_users(n: int) -> list[User]:
    return [User.objects.create_user(username=f"voter{i}") for i in range(n)]


def assert_counters_exact(thread: Thread) -> None:
    """Every stored counter equals a recount of the rows it summarises."""
    thread.refresh_from_db()
    assert thread.comment_count == Comment.objects.filter(VISIBLE, thread=thread).count()
    for comment in Comment.objects.filter(thread=thread):
        assert comment.reply_count == comment.children.filter(VISIBLE).count(), comment
        votes = list(Vote.objects.filter(comment=comment).values_list("value", flat=True))
        assert (comment.upvotes, comment.downvotes) == (votes.count(1), votes.count(-1)), comment
        assert comment.best_score == wilson_lower_bound(comment.upvotes, comment.downvotes), comment


def reload(comment: Comment) -> Comment:
    return Comment.objects.get(pk=comment.pk)


# --- posting ----------------------------------------------------------------------------------------


def test_it_posts_a_top_level_comment_rendered_and_counted(thread, reader):
    comment = comment_create(thread=thread, author=reader, body="  Loved **Ballerina**.  ")

    comment = reload(comment)
    assert comment.status == Comment.Status.APPROVED
    assert (comment.parent, comment.root, comment.depth) == (None, None, 0)
    assert comment.body_source == "Loved **Ballerina**."
    assert comment.body_html == "<p>Loved <strong>Ballerina</strong>.</p>\n"
    assert comment.author == reader
    assert_counters_exact(thread)
    assert thread.comment_count == 1


def test_a_reply_records_its_root_and_depth_and_is_counted_on_its_parent_only(thread, reader, second_reader):
    top = comment_create(thread=thread, author=reader, body="Top")
    reply = comment_create(thread=thread, author=second_reader, body="Reply", parent=top)
    nested = comment_create(thread=thread, author=reader, body="Reply to the reply", parent=reply)

    assert (reply.parent, reply.root, reply.depth) == (top, top, 1)
    assert (nested.parent, nested.root, nested.depth) == (reply, top, 2)
    assert reload(top).reply_count == 1  # direct replies only
    assert reload(reply).reply_count == 1
    assert_counters_exact(thread)
    assert thread.comment_count == 3


def test_a_whole_comment_can_be_marked_as_a_spoiler(thread, reader):
    comment = comment_create(thread=thread, author=reader, body="Winston dies", is_spoiler=True)
    assert reload(comment).is_spoiler is True


def test_it_rejects_a_reply_to_a_removed_comment(thread, reader, second_reader):
    top = comment_create(thread=thread, author=reader, body="Top")
    comment_remove(comment=top, actor=reader)

    with pytest.raises(ServiceError) as caught:
        comment_create(thread=thread, author=second_reader, body="Reply", parent=reload(top))

    assert caught.value.field == "parent"
    assert "removed" in caught.value.message
    assert Comment.objects.filter(thread=thread).count() == 1
    assert_counters_exact(thread)


def test_it_rejects_a_reply_to_a_comment_in_another_thread(thread, story, reader, site):
    elsewhere = Thread.objects.create(site=site, key="page:elsewhere")
    stranger = comment_create(thread=elsewhere, author=reader, body="Elsewhere")

    with pytest.raises(ServiceError) as caught:
        comment_create(thread=thread, author=reader, body="Reply", parent=stranger)

    assert caught.value.field == "parent"
    assert not Comment.objects.filter(thread=thread).exists()


def test_it_refuses_a_comment_on_a_closed_thread(thread, reader):
    thread.is_closed = True
    thread.save()

    with pytest.raises(PermissionDenied) as caught:
        comment_create(thread=thread, author=reader, body="Too late")

    assert caught.value.field == "thread"
    assert "closed" in caught.value.message
    assert not Comment.objects.exists()


def test_it_refuses_a_deactivated_account_without_blaming_the_thread(thread, reader):
    reader.is_active = False
    reader.save()

    with pytest.raises(PermissionDenied) as caught:
        comment_create(thread=thread, author=reader, body="Hello")

    assert caught.value.field == "author"
    assert "closed" not in caught.value.message
    assert not Comment.objects.exists()


def test_it_asks_an_anonymous_visitor_to_log_in(thread):
    with pytest.raises(PermissionDenied) as caught:
        comment_create(thread=thread, author=AnonymousUser(), body="Hi")  # type: ignore[arg-type]
    assert caught.value.field == "author"


@pytest.mark.parametrize("body", ["", "   ", "\n\t\n"])
def test_it_rejects_an_empty_body_naming_body(thread, reader, body):
    with pytest.raises(ServiceError) as caught:
        comment_create(thread=thread, author=reader, body=body)

    assert caught.value.field == "body"
    assert "empty" in caught.value.message
    assert not Comment.objects.exists()
    assert_counters_exact(thread)


def test_it_rejects_a_body_over_the_sites_maximum_saying_by_how_much(thread, reader, site):
    site.comment_max_length = 20
    site.save()
    thread.refresh_from_db()

    comment_create(thread=thread, author=reader, body="x" * 20)  # exactly the maximum is fine
    with pytest.raises(ServiceError) as caught:
        comment_create(thread=thread, author=reader, body="x" * 21)

    assert caught.value.field == "body"
    assert caught.value.message == "body is too long (21 characters; the maximum is 20)"
    assert Comment.objects.count() == 1


def test_hostile_markup_in_a_body_is_neutralised(thread, reader):
    comment = comment_create(thread=thread, author=reader, body="<script>alert(1)</script> [x](javascript:alert(1))")
    assert "<script" not in comment.body_html
    assert 'href="javascript' not in comment.body_html


# --- editing ----------------------------------------------------------------------------------------


def test_an_author_can_edit_within_the_window(thread, reader):
    posted = timezone.now() - datetime.timedelta(minutes=14)
    comment = comment_create(thread=thread, author=reader, body="Frist", created_at=posted)

    comment_edit(comment=comment, actor=reader, body="First, *properly*", is_spoiler=True)

    comment = reload(comment)
    assert comment.body_source == "First, *properly*"
    assert comment.body_html == "<p>First, <em>properly</em></p>\n"
    assert comment.is_spoiler is True
    assert comment.edited_at is not None and comment.edited_at > posted


def test_editing_leaves_the_spoiler_flag_alone_unless_asked(thread, reader):
    comment = comment_create(thread=thread, author=reader, body="Secret", is_spoiler=True)
    comment_edit(comment=comment, actor=reader, body="Secret, edited")
    assert reload(comment).is_spoiler is True


def test_it_refuses_an_edit_after_the_window_saying_how_long_it_is(thread, reader):
    posted = timezone.now() - datetime.timedelta(minutes=16)
    comment = comment_create(thread=thread, author=reader, body="Original", created_at=posted)

    with pytest.raises(PermissionDenied) as caught:
        comment_edit(comment=comment, actor=reader, body="Rewritten history")

    assert caught.value.field == "comment"
    assert "15 minutes" in caught.value.message
    assert reload(comment).body_source == "Original"


def test_it_refuses_an_edit_by_someone_else(thread, reader, second_reader):
    comment = comment_create(thread=thread, author=reader, body="Mine")
    with pytest.raises(PermissionDenied):
        comment_edit(comment=comment, actor=second_reader, body="Yours now")
    assert reload(comment).body_source == "Mine"


def test_a_bad_edit_keeps_the_saved_comment(thread, reader):
    comment = comment_create(thread=thread, author=reader, body="Keep me")

    with pytest.raises(ServiceError) as caught:
        comment_edit(comment=comment, actor=reader, body="   ")

    assert caught.value.field == "body"
    saved = reload(comment)
    assert (saved.body_source, saved.body_html, saved.edited_at) == ("Keep me", "<p>Keep me</p>\n", None)


def test_a_removed_comment_cannot_be_edited_back(thread, reader):
    comment = comment_create(thread=thread, author=reader, body="Regret")
    comment_remove(comment=comment, actor=reader)
    with pytest.raises(PermissionDenied):
        comment_edit(comment=reload(comment), actor=reader, body="Back again")
    assert reload(comment).status == Comment.Status.REMOVED


# --- removing ---------------------------------------------------------------------------------------


def test_removing_a_comment_keeps_its_replies_under_a_placeholder(thread, reader, second_reader):
    top = comment_create(thread=thread, author=reader, body="Hot take")
    reply = comment_create(thread=thread, author=second_reader, body="Disagree", parent=top)

    comment_remove(comment=top, actor=reader)

    top = reload(top)
    assert top.status == Comment.Status.REMOVED
    assert top.body_source == ""
    assert top.body_html == REMOVED_PLACEHOLDER
    assert reload(reply).parent == top
    assert reload(reply).status == Comment.Status.APPROVED
    assert_counters_exact(thread)
    assert thread.comment_count == 2  # the placeholder still stands above its reply


def test_removing_a_comment_with_no_replies_takes_it_out_of_the_counts(thread, reader, second_reader):
    top = comment_create(thread=thread, author=reader, body="Top")
    reply = comment_create(thread=thread, author=second_reader, body="Oops", parent=top)

    comment_remove(comment=reply, actor=second_reader)

    assert reload(top).reply_count == 0
    assert_counters_exact(thread)
    assert thread.comment_count == 1


def test_removing_the_last_reply_under_a_removed_comment_retires_the_placeholder_too(thread, reader, second_reader):
    top = comment_create(thread=thread, author=reader, body="Top")
    middle = comment_create(thread=thread, author=second_reader, body="Middle", parent=top)
    last = comment_create(thread=thread, author=reader, body="Last", parent=middle)
    comment_remove(comment=middle, actor=second_reader)
    assert_counters_exact(thread)
    assert thread.comment_count == 3

    comment_remove(comment=reload(last), actor=reader)

    # `middle` was only shown to carry `last`; with `last` gone it leaves the page, and `top` has no replies.
    assert reload(top).reply_count == 0
    assert_counters_exact(thread)
    assert thread.comment_count == 1


def test_only_the_author_can_remove_a_comment(thread, reader, second_reader):
    comment = comment_create(thread=thread, author=reader, body="Mine")
    with pytest.raises(PermissionDenied) as caught:
        comment_remove(comment=comment, actor=second_reader)
    assert caught.value.field == "comment"
    assert reload(comment).status == Comment.Status.APPROVED


def test_a_comment_cannot_be_removed_twice(thread, reader):
    comment = comment_create(thread=thread, author=reader, body="Once")
    comment_remove(comment=comment, actor=reader)
    with pytest.raises(PermissionDenied):
        comment_remove(comment=reload(comment), actor=reader)
    assert_counters_exact(thread)


def test_a_second_removal_through_a_stale_copy_is_refused_and_counted_once(thread, reader):
    comment = comment_create(thread=thread, author=reader, body="Once")
    stale = reload(comment)  # as a second request that loaded the comment before the first removed it
    comment_remove(comment=comment, actor=reader)

    with pytest.raises(PermissionDenied, match="already been removed"):
        comment_remove(comment=stale, actor=reader)
    assert_counters_exact(thread)
    assert thread.comment_count == 0


def test_removing_through_a_stale_copy_still_counts_replies_made_since(thread, reader, second_reader):
    top = comment_create(thread=thread, author=reader, body="Top")
    stale = reload(top)
    comment_create(thread=thread, author=second_reader, body="A reply the stale copy has not seen", parent=top)

    comment_remove(comment=stale, actor=reader)

    assert_counters_exact(thread)
    assert thread.comment_count == 2


# --- voting -----------------------------------------------------------------------------------------


def test_an_upvote_counts_and_rescores_the_comment(thread, reader, second_reader):
    comment = comment_create(thread=thread, author=reader, body="Vote for me")

    voted = comment_vote(comment=comment, actor=second_reader, value=1)

    assert (voted.upvotes, voted.downvotes) == (1, 0)
    assert reload(comment).best_score == pytest.approx(0.20655, abs=1e-5)  # Wilson lower bound of 1/1
    assert Vote.objects.get(comment=comment, user=second_reader).value == 1
    assert_counters_exact(thread)


def test_changing_a_vote_replaces_it(thread, reader, second_reader):
    comment = comment_create(thread=thread, author=reader, body="Vote for me")
    comment_vote(comment=comment, actor=second_reader, value=1)

    voted = comment_vote(comment=comment, actor=second_reader, value=-1)

    assert (voted.upvotes, voted.downvotes) == (0, 1)
    assert voted.best_score == 0.0
    assert Vote.objects.filter(comment=comment).count() == 1
    assert_counters_exact(thread)


def test_voting_the_same_way_twice_counts_once(thread, reader, second_reader):
    comment = comment_create(thread=thread, author=reader, body="Vote for me")
    comment_vote(comment=comment, actor=second_reader, value=-1)
    voted = comment_vote(comment=comment, actor=second_reader, value=-1)
    assert (voted.upvotes, voted.downvotes) == (0, 1)
    assert_counters_exact(thread)


def test_withdrawing_a_vote_deletes_it(thread, reader, second_reader):
    comment = comment_create(thread=thread, author=reader, body="Vote for me")
    comment_vote(comment=comment, actor=second_reader, value=1)

    voted = comment_vote(comment=comment, actor=second_reader, value=0)

    assert (voted.upvotes, voted.downvotes, voted.best_score) == (0, 0, 0.0)
    assert not Vote.objects.filter(comment=comment).exists()
    assert_counters_exact(thread)


def test_withdrawing_a_vote_never_cast_changes_nothing(thread, reader, second_reader):
    comment = comment_create(thread=thread, author=reader, body="Vote for me")
    voted = comment_vote(comment=comment, actor=second_reader, value=0)
    assert (voted.upvotes, voted.downvotes) == (0, 0)
    assert not Vote.objects.exists()


def test_many_voters_leave_exact_counters_and_score(thread, reader):
    comment = comment_create(thread=thread, author=reader, body="Divisive")
    voters = make_users(10)
    for voter in voters[:7]:
        comment_vote(comment=comment, actor=voter, value=1)
    for voter in voters[7:]:
        comment_vote(comment=comment, actor=voter, value=-1)
    comment_vote(comment=comment, actor=voters[0], value=-1)  # 6 up, 4 down
    comment_vote(comment=comment, actor=voters[9], value=0)  # 6 up, 3 down

    comment = reload(comment)
    assert (comment.upvotes, comment.downvotes) == (6, 3)
    assert comment.best_score == wilson_lower_bound(6, 3)
    assert_counters_exact(thread)


def test_it_refuses_a_vote_on_your_own_comment(thread, reader):
    comment = comment_create(thread=thread, author=reader, body="Me, me, me")
    with pytest.raises(PermissionDenied) as caught:
        comment_vote(comment=comment, actor=reader, value=1)
    assert caught.value.field == "comment"
    assert "your own comment" in caught.value.message
    assert not Vote.objects.exists()


def test_it_refuses_a_vote_on_a_removed_comment(thread, reader, second_reader):
    comment = comment_create(thread=thread, author=reader, body="Gone")
    comment_remove(comment=comment, actor=reader)
    with pytest.raises(PermissionDenied):
        comment_vote(comment=reload(comment), actor=second_reader, value=1)
    assert not Vote.objects.exists()


@pytest.mark.parametrize("value", [2, -2, 10])
def test_it_rejects_a_vote_that_is_not_up_down_or_withdraw_naming_value(thread, reader, second_reader, value):
    comment = comment_create(thread=thread, author=reader, body="Vote for me")
    with pytest.raises(ServiceError) as caught:
        comment_vote(comment=comment, actor=second_reader, value=value)
    assert caught.value.field == "value"
    assert not Vote.objects.exists()


def test_it_asks_an_anonymous_visitor_to_log_in_to_vote(thread, reader):
    comment = comment_create(thread=thread, author=reader, body="Vote for me")
    with pytest.raises(PermissionDenied) as caught:
        comment_vote(comment=comment, actor=AnonymousUser(), value=1)  # type: ignore[arg-type]
    assert caught.value.field == "user"
