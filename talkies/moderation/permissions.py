"""Who may moderate what: roles per site, as permission predicates.

| role | queues and comment decisions | feature | author sanctions | rules, word lists, settings |
|---|---|---|---|---|
| reader (no role) | report only | no | no | no |
| editor | yes | yes | no | no |
| moderator | yes | yes | yes | yes |
| admin (and superusers) | yes | yes | yes | yes |

A role on one site grants nothing on another. A site's API key acts as a moderator of its own site (a
newsroom's own tools), and of no other.
"""

from dataclasses import dataclass
from enum import StrEnum

from talkies.accounts.models import Site, SiteMembership, User


class Role(StrEnum):
    READER = "reader"
    EDITOR = "editor"
    MODERATOR = "moderator"
    ADMIN = "admin"


_RANK = {Role.READER: 0, Role.EDITOR: 1, Role.MODERATOR: 2, Role.ADMIN: 3}
_FROM_MEMBERSHIP: dict[str, Role] = {
    SiteMembership.Role.ADMIN: Role.ADMIN,
    SiteMembership.Role.MODERATOR: Role.MODERATOR,
    SiteMembership.Role.EDITOR: Role.EDITOR,
}


def role_on_site(user: User | None, site: Site) -> Role:
    """The strongest moderation role `user` holds on `site` (a critic's role grants none)."""
    if user is None or not user.is_authenticated or not user.is_active:
        return Role.READER
    if user.is_superuser:
        return Role.ADMIN
    roles = SiteMembership.objects.filter(user=user, site=site).values_list("role", flat=True)
    held = [_FROM_MEMBERSHIP[r] for r in roles if r in _FROM_MEMBERSHIP]
    return max(held, key=_RANK.__getitem__, default=Role.READER)


@dataclass(frozen=True)
class Moderator:
    """Who is moderating, and with which role, on one site: an account, or a site's API key."""

    site: Site
    role: Role
    user: User | None = None
    key_name: str = ""

    @classmethod
    def of_user(cls, user: User | None, site: Site) -> "Moderator":
        return cls(
            site=site, role=role_on_site(user, site), user=user if user is not None and user.is_authenticated else None
        )

    @classmethod
    def of_api_key(cls, site: Site, key_name: str) -> "Moderator":
        return cls(site=site, role=Role.MODERATOR, key_name=key_name)

    @property
    def label(self) -> str:
        """How the audit log names them."""
        if self.user is not None:
            return self.user.username
        return f"API key “{self.key_name}”" if self.key_name else "unknown"

    def at_least(self, role: Role) -> bool:
        return _RANK[self.role] >= _RANK[role]

    def outranks(self, role: Role) -> bool:
        """Whether they may sanction someone holding `role`: only from above (an admin may ban a moderator,
        a moderator or the site's key an editor or a reader, nobody an admin but a superuser)."""
        if self.user is not None and self.user.is_superuser:
            return True
        return _RANK[self.role] > _RANK[role]


def can_moderate_comments(moderator: Moderator, site: Site) -> bool:
    """See the queues and decide on comments: approve, reject, remove, restore, feature, spoilers."""
    return moderator.site.pk == site.pk and moderator.at_least(Role.EDITOR)


def can_sanction_authors(moderator: Moderator, site: Site) -> bool:
    """Ban, suspend, shadow-ban, always pre-moderate or trust an author."""
    return moderator.site.pk == site.pk and moderator.at_least(Role.MODERATOR)


def can_configure_moderation(moderator: Moderator, site: Site) -> bool:
    """Change the site's pre-moderation rules, word lists and signal thresholds."""
    return moderator.site.pk == site.pk and moderator.at_least(Role.MODERATOR)
