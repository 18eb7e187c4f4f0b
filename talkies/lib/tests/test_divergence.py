import pytest

from talkies.lib.scoring import critic_audience_divergence


@pytest.mark.parametrize(
    ("critic", "audience", "expected"),
    [
        (70.0, 7.0, None),  # a 7/10 critic and readers averaging 7: agreement
        (88.0, 6.8, "critics"),  # 88 - 68 = 20: a gap of exactly twenty points counts
        (90.0, 6.0, "critics"),  # 90 - 60 = 30
        (40.0, 8.5, "audience"),  # 40 - 85 = -45
        (70.0, 5.1, None),  # 70 - 51 = 19: close enough not to remark on
        (None, 8.0, None),  # no critic score
        (70.0, None, None),  # no audience score shown yet
    ],
)
def test_it_notes_only_clear_disagreements(critic, audience, expected):
    assert critic_audience_divergence(critic=critic, audience=audience) == expected
