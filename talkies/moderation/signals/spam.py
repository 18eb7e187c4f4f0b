"""Spam: links, piracy and money pitches, contact-me lures, copy-paste across threads, and posting rate.

Each piece of evidence has a weight (the chance, on its own, that a comment with it is spam) and the
score combines them as independent evidence, 1 − ∏(1 − wᵢ): one link is not spam, a link with "watch
full movie free" is, and a shortener or a domain on the site's bad-domains list is nearly always.
What the site knows of the author counts too: the same text posted in other threads, many comments in
the last hour, a new account or a guest posting links; an author with a record of approved comments
counts for a little less suspicion.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from .base import SignalContext, SignalResult
from .text import visible_text, wordset

_TLDS = (
    "com|net|org|io|ly|co|tv|ru|xyz|info|biz|me|gg|to|cc|link|site|online|club|live|stream|top|click|watch|"
    "movie|movies|film|app|store|shop|vip|win|bet|casino|pro|su|uk|us|de|fr|in|ws|icu|buzz|lol|fun|space"
)
_URL = re.compile(
    r"(?:https?://|www\.)[^\s<>()\[\]\"']+|\b(?:[a-z0-9-]+\.)+(?:" + _TLDS + r")\b(?:/[^\s<>()\"']*)?", re.IGNORECASE
)
_HOST = re.compile(r"^(?:https?://)?(?:www\.)?([^/\s:?#]+)", re.IGNORECASE)
# A link written so a filter will not see it: "site dot com", "site[.]net", "site (dot) xyz".
_HIDDEN_LINK = re.compile(
    r"\b[a-z0-9-]{2,}\s*(?:\(\s*dot\s*\)|\[\s*dot\s*\]|\[\.\]|\(\.\)|\s+dot\s+)\s*(?:" + _TLDS + r")\b", re.IGNORECASE
)
_SHORTENERS = wordset(
    """bit.ly tinyurl.com t.co goo.gl ow.ly is.gd buff.ly cutt.ly rebrand.ly shorturl.at tiny.cc rb.gy
    linktr.ee t.ly bl.ink s.id v.gd shorte.st adf.ly ouo.io bitly.com lnkd.in tr.im qr.net"""
)
# Where readers link for honest reasons (a trailer, a credit, a review); a link there weighs less.
_EVERYDAY_HOSTS = wordset(
    """youtube.com youtu.be imdb.com wikipedia.org en.wikipedia.org letterboxd.com rottentomatoes.com
    metacritic.com themoviedb.org boxofficemojo.com variety.com hollywoodreporter.com deadline.com
    vimeo.com bfi.org.uk"""
)


@dataclass(frozen=True)
class _Cue:
    pattern: re.Pattern[str]
    weight: float
    reason: str


def _cues(weight: float, reason: str, *patterns: str) -> list[_Cue]:
    return [_Cue(re.compile(pattern, re.IGNORECASE), weight, reason) for pattern in patterns]


_PIRACY_SITES = (
    r"\b(?:123 ?movies|putlocker|fmovies|gomovies|soap2day|yesmovies|solarmovie|primewire|yts|rarbg|1337x|"
    r"piratebay|pirate bay|hdtoday|movie4k|moviesjoy|flixtor|lookmovie|myflixer|sflix|bflix|hurawatch|"
    r"watchseries|kissasian|dramacool|tamilrockers|filmyzilla|moviesflix|vegamovies|bolly4u)\b"
)
CUES = [
    *_cues(0.9, "names a piracy site", _PIRACY_SITES),
    *_cues(
        0.5,
        "offers the film free or pirated",
        # Not "I streamed it free with my library card": an offer speaks to the reader.
        r"(?<!\bi )(?<!\bwe )\b(?:watch|stream|download)\w*\b(?:\W+\w+){0,8}?\W+"
        r"(?:free|for free|without (?:paying|registration|sign ?up))\b",
        r"\bfree (?:online|streaming|stream|download|hd|full|movies?|films?)\b|\bonline free\b",
        r"\(\d{4}\) (?:\[?full (?:movie|film)\]?|hd|online|watch)\b",
        r"\bfull (?:movie|film|hd movie)\b(?:\W+\w+){0,3}?\W+(?:free|online|here|link|download|stream|hd|now|"
        r"available|uploaded)\b",
        r"\b(?:watch|stream|download) (?:the )?full (?:movie|film)\b",
        r"\b(?:torrent|torrents|magnet link|cam ?rip|hd ?rip|web ?rip|web-dl|dvd ?rip|bluray rip|brrip)\b",
        r"\b(?:google drive|gdrive|mega|mediafire|dropbox|telegram|drive) (?:link|links|folder)\b",
        r"\b(?:without|no) ads\b|\bfull hd (?:stream|movie|film|download|online)\b|\bgoogle my (?:username|name|"
        r"channel)\b",
        r"\b(?:mkv|avi|xvid|x264|x265|hevc|2160p)\b|\b(?:720p|1080p|4k) (?:mkv|mp4|download|link|free|rip)\b",
        r"^\W*download\b|\bdownload (?:the )?(?:full )?(?:movie|film|link)\b",
        r"\bdownload (?:it )?(?:in )?(?:hd|4k|1080p|720p|free|link|now|here)\b",
        r"\b(?:hd|4k|1080p|720p) (?:download|stream|streaming|quality free)\b",
        r"\bno (?:sign ?up|signup|registration|credit card|account)(?: needed| required)?\b",
        r"\bleaked (?:copy|version|online|link)\b",
    ),
    *_cues(
        0.45,
        "a money, crypto or product pitch",
        r"\binvest(?:ment|ing)? (?:opportunity|plan|platform|advisor|with me|with us|in (?:my|our))\b",
        r"\b(?:passive income|financial freedom|side hustle|(?:works?|worked|working|earns?|earning|makes?|making|"
        r"money|"
        r"income|cash) from home|here is how|heres how|find out how|"
        r"be your own boss)\b|\$\$+",
        r"\b(?:i )?saw your profile\b|\bbe (?:your|my) (?:friend|girlfriend|boyfriend)\b|\bget to know you\b|"
        r"\blooking for (?:friendship|love|a husband|a wife)\b",
        r"\b(?:earn|make|made|making|earned|earning|earns|makes)\b(?:\W+\w+){0,3}?\W+\$ ?\d[\d,.]*k?\b",
        r"\b\d[\d,.]*k? (?:dollars|usd|bucks|euros|pounds)\b",
        r"\b(?:no credit check|instant approval|approved instantly|fast cash|quick cash|ask me how)\b",
        r"\b(?:i|we) (?:sell|offer|provide|supply) \w+|\bfor cheap\b",
        r"\blifetime (?:access|subscription|account|membership)\b|\b(?:accounts?|subscriptions?) (?:for|at|"
        r"from) \$ ?\d",
        r"\b(?:love spell|spell ?caster|get your ex back|lottery win\w*|hacker|recovery expert|recover(?:ed)? (?:my|"
        r"your|the|lost) (?:account|funds|bitcoin|money|crypto))\b",
        r"\$ ?\d[\d,.]*k? (?:a|per|every) (?:day|week|hour|month)\b",
        r"\b(?:casino|betting|bet365|sportsbook|slots|jackpot|poker online|loan offer|payday loan|credit repair)\b",
        r"\b(?:viagra|cialis|diet pills|weight loss pills|keto pills|male enhancement)\b",
        r"\b(?:online pharmacy|no prescription|without (?:a )?prescription|ships worldwide|worldwide shipping)\b",
        r"\b(?:cheap|buy|real|instant|\d+k?) (?:\w+ )?(?:followers|likes|views|subscribers)\b",
        r"\b(?:contact|call|email|text|reach|message|whatsapp) (?:dr|doctor|mr|mrs|prophet|priest|pastor|agent)\b",
        r"\b(?:try|buy|order|get) our (?:new )?\w+|\b(?:with|use) (?:the )?code \w+",
        r"\b(?:serious relationship|looking for (?:a )?(?:serious|real|honest) (?:man|woman|relationship)|write me)\b",
        r"\b(?:promo code|coupon code|discount code|use (?:my )?code)\b|\b\d{2}% off\b",
        r"\b(?:(?:free|win|claim) (?:\w+ )?gift cards?|giving away|giveaways?|get paid to|paid to watch|win (?:a|"
        r"an) (?:iphone|"
        r"ipad|ps5|gift card|prize)|congratulations,? you (?:won|"
        r"have been))\b",
        r"\b(?:single|lonely|hot|sexy|horny) (?:women|girls|ladies|men|moms|milfs|singles) (?:in|near|from) (?:your|"
        r"you)\b",
        r"\b(?:onlyfans|hot singles|sexy singles|lonely (?:girls|women|singles)|dating site|sugar daddy|hookups?|"
        r"escorts?)\b",
        r"\b(?:guaranteed|100% (?:free|legit|real|working|guaranteed)|risk[- ]free|best prices?)\b",
        r"\bfree (?:consultation|trial|shipping|quote|sample|samples|delivery)\b",
        r"\b(?:only|just) \$ ?\d|\btoday only\b|\bonly today\b|\bwhile (?:supplies|stocks) last\b",
        r"\b(?:earn|get|win|claim|make) (?:free |easy |quick |instant |real )?(?:crypto|money|cash|bitcoin|rewards|"
        r"gift cards?|prizes?|robux|v-?bucks)\b",
        r"\bfree (?:\w+ )?(?:accounts?|subscriptions?|logins?|premium)\b",
        r"\b(?:with|use|using|enter) my (?:code|link|referral)\b|\breferral (?:code|link)\b",
    ),
    *_cues(0.5, "asks readers to click", r"\bclick (?:here|the link|this link|below|now|on my)\b"),
    *_cues(0.3, "says full movie", r"\bfull (?:movie|film)\b"),
    *_cues(
        0.5,
        "a crypto pitch",
        r"\b(?:buy|get|invest in|trade|earn|mine) (?:\w+ )?(?:crypto|bitcoin|btc|ethereum|coins?)\b",
    ),
    # Named on their own these may be a film's subject ("the crypto subplot"); with anything else, a pitch.
    *_cues(
        0.3,
        "mentions crypto or trading",
        r"\b(?:crypto|bitcoin|btc|ethereum|usdt|forex|binary options|nft|airdrop|meme ?coin)\b",
    ),
    *_cues(
        0.4,
        "asks readers to contact or follow someone",
        r"\b(?:dm|pm|message|text|contact|email|inbox|reach) (?:me|him|her|us)\b",
        r"\b(?:send|drop|shoot) (?:me|him|her|us) (?:a )?(?:message|dm|pm|text|email|line|note)\b",
        r"\b(?:whatsapp|telegram|wechat|kik|viber)\b",
        r"\b(?:add|find|follow|hit) me (?:up )?(?:on|at)\b",
        r"\bcheck (?:out )?my (?:profile|bio|page|channel|site|website|blog|store|shop|link)\b",
        r"\blink in (?:my )?(?:bio|profile)\b|\b(?:on|in|at) my (?:profile|bio|page|channel)\b",
        r"\b(?:visit|see) my (?:profile|page|site|website|channel|store|shop)\b",
        r"\b(?:subscribe|sub) to my\b|\bmy (?:youtube|tiktok|twitch|instagram|insta) (?:channel|page|account)\b",
        r"\bjoin (?:my|our) (?:\w+ )?(?:group|channel|telegram|discord|community|server|team)\b",
    ),
    *_cues(
        0.35,
        "a sales call to action",
        r"\bcheck (?:out|it out) (?:www|https?|this site|this link|this website|our)\b",
        r"\b(?:hit|smash|ring) (?:the|that) (?:bell|like|subscribe)\b|\blike and subscribe\b",
        r"\bsign up (?:with|using|via|through) (?:my|this|the link)\b",
        r"\b(?:watch|stream|download|get) (?:it |them |the movie |the film )?(?:here|now|at|from|via|"
        r"on this site)\b\W*(?:$|https?|www|>|:)",
        r"\b(?:doesn't|does not|don't|do not) want you to know\b|\byou won't believe\b|\bone (?:weird|simple) trick\b",
        r"\b(?:sign up|register|join|order|buy|shop|apply) (?:now|today|here|for free|free)\b",
        r"\b(?:limited (?:time|offer|spots)|act (?:now|fast)|hurry up|don't miss out|do not miss out|"
        r"while stocks last)\b",
        r"\b(?:visit|go to) (?:our|this) (?:site|website|page|link)\b",
    ),
]
_PHONE = re.compile(r"\+?\(?\d[\d\s().-]{7,16}\d\b")
_PRICE = re.compile(r"\$ ?\d[\d,.]*k?|\b\d+k (?:a|per|every) (?:day|week|month|year)\b|\b\d+ ?(?:usd|eur|gbp)\b")
_YEAR = re.compile(r"\b(?:19|20)\d\d\b")
# Words of selling. One is nothing on a film site ("free tickets", "I bought the Blu-ray"); several together
# are a pitch.
_COMMERCE = wordset(
    """cheap cheapest discount discounts offer offers deal deals sale sales earn earning earnings income profit
    profits money cash bonus bonuses prize prizes winner guaranteed natural weight pills supplement supplements
    casino betting loan loans essay essays homework followers subscribers shipping store shop order price prices
    sell selling seller service services clients business opportunity investment invest investing crypto bitcoin
    trading signals returns 10x 100x wholesale replica replicas jordans nikes outlet brand brands luxury
    viagra dating singles hookup legit trusted fast easy instant daily weekly"""
)
_EMAIL = re.compile(r"\b[\w.+-]+@[\w-]+\.[a-z]{2,}\b", re.IGNORECASE)
_EMOJI = re.compile("[\U0001f300-\U0001faff\u2600-\u27bf]")
_WORD = re.compile(r"\w+")


_ASKING = re.compile(
    r"(?:^|(?<=[.!?\n]))\s*(?:is|are|does|do|can|could|will|would|has|have|where|how|anyone know)\b[^.!?\n]*\?"
)


def _phone_number(text: str) -> bool:
    """A run of ten or more digits written as a phone number (not a list of years)."""
    for match in _PHONE.finditer(text):
        digits = re.sub(r"\D", "", match.group())
        if len(digits) >= 10 and len(digits) != 4 * len(_YEAR.findall(match.group())):
            return True
    return False


def links_in(text: str) -> list[str]:
    return [match.group() for match in _URL.finditer(text)]


def host_of(link: str) -> str:
    match = _HOST.match(link)
    return match.group(1).lower().rstrip(".") if match else ""


def _on_domain(host: str, domains: tuple[str, ...] | frozenset[str]) -> str | None:
    for domain in domains:
        domain = domain.lower().strip().lstrip(".")
        if domain and (host == domain or host.endswith("." + domain)):
            return domain
    return None


def _bad_domains_named(text: str, domains: tuple[str, ...]) -> list[str]:
    lowered = text.lower()
    named = []
    for domain in domains:
        domain = domain.lower().strip().lstrip(".")
        if domain and re.search(r"(?<![\w.-])(?:[\w-]+\.)*" + re.escape(domain) + r"(?![\w-])", lowered):
            named.append(domain)
    return named


# Texts longer than this are not remembered: a few huge comments must not fill a process's memory.
_REMEMBERED_LENGTH = 2000


def _shingles(text: str) -> frozenset[tuple[str, ...]]:
    """The text's word triples. Remembered for short texts: each new comment is compared with its
    author's recent ones, which are the same texts from one comment to the next."""
    return _remembered_shingles(text) if len(text) <= _REMEMBERED_LENGTH else _word_triples(text)


def _word_triples(text: str) -> frozenset[tuple[str, ...]]:
    words = _WORD.findall(text.lower())
    if len(words) < 3:
        return frozenset({tuple(words)}) if words else frozenset()
    return frozenset(tuple(words[i : i + 3]) for i in range(len(words) - 2))


_remembered_shingles = functools.lru_cache(maxsize=512)(_word_triples)


def similarity(a: str, b: str) -> float:
    """How much of two texts is the same run of words (Jaccard over word triples), 0 to 1."""
    first, second = _shingles(a), _shingles(b)
    if not first or not second:
        return 0.0
    return len(first & second) / len(first | second)


class SpamSignal:
    name = "spam"

    def assess(self, context: SignalContext) -> SignalResult:
        text = visible_text(context.text)
        author = context.author
        evidence: list[tuple[float, str]] = []

        links = links_in(text)
        hosts = [host_of(link) for link in links]
        # A bad domain counts wherever it is written, whatever its ending.
        for domain in _bad_domains_named(text, context.site.bad_domains):
            evidence.append((0.97, f"names {domain}, on this site's bad-domains list"))
        for host in dict.fromkeys(hosts):
            if _on_domain(host, context.site.bad_domains):
                continue
            if _on_domain(host, _SHORTENERS):
                evidence.append((0.6, f"a shortened link ({host}) hides where it goes"))
        everyday = [host for host in hosts if _on_domain(host, _EVERYDAY_HOSTS)]
        others = len(hosts) - len(everyday)
        if others:
            evidence.append((min(0.7, 0.3 + 0.15 * (others - 1)), f"{others} link{'s' if others > 1 else ''}"))
        if everyday:
            evidence.append((0.1, "a link to " + everyday[0]))
        if _HIDDEN_LINK.search(text):
            evidence.append((0.6, "a link spelled out to get past filters"))
        # "Is it on any free streaming service?" asks where to watch; it offers nothing.
        lowered = _ASKING.sub(" ", text.lower())
        seen: set[str] = set()
        for cue in CUES:
            match = cue.pattern.search(lowered)
            if match:
                # A second cue of the same kind adds less than the first.
                weight = cue.weight if cue.reason not in seen else cue.weight * 0.5
                seen.add(cue.reason)
                evidence.append((weight, f"{cue.reason} (“{match.group().strip()}”)"))
        sentences = [part.strip().lower() for part in re.split(r"[.!?\n]+", text) if part.strip()]
        if len(sentences) >= 3 and len(set(sentences)) <= len(sentences) / 2:
            evidence.append((0.35, "the same sentence over and over"))
        if _EMAIL.search(text) or _phone_number(text):
            evidence.append((0.4, "an email address or phone number"))
        selling = sorted({word for word in _WORD.findall(lowered) if word in _COMMERCE})
        # A price or a sum of money is a word of selling too ("only $19.99 today", "7k a month").
        selling += [f"“{price}”" for price in _PRICE.findall(lowered)[:2]]
        if len(selling) >= 2:
            evidence.append(
                (min(0.6, 0.15 * len(selling)), "the words of a sales pitch (" + ", ".join(selling[:4]) + ")")
            )
        letters = [char for char in text if char.isalpha()]
        if len(letters) >= 20 and sum(char.isupper() for char in letters) / len(letters) > 0.7:
            evidence.append((0.12, "written in capitals"))
        if len(_EMOJI.findall(text)) >= 4:
            evidence.append((0.12, "many emoji"))

        # The author's record adds to what the text says; on its own it holds nothing (a busy reader in a
        # lively thread posts a lot, and may say "great review" twice), except copying the same text again
        # and again.
        repeats = sum(1 for body in author.recent_bodies if similarity(text, body) >= 0.6)
        if repeats and len(_WORD.findall(text)) >= 4:
            weight = 0.35 if repeats == 1 else 0.6 if repeats == 2 else 0.8
            evidence.append((weight, f"the same text as {repeats} of the author's recent comments"))
        elif repeats:
            evidence.append((0.1 if repeats < 3 else 0.3, "a short text the author has posted before"))
        if author.comments_last_hour >= 8:
            weight = 0.15 if author.comments_last_hour < 20 else 0.3 if author.comments_last_hour < 40 else 0.4
            evidence.append((weight, f"{author.comments_last_hour} comments in the last hour"))
        new_author = author.account_age_days is None or author.account_age_days < 2
        if links and new_author:
            who = "a guest" if author.account_age_days is None else "a new account"
            evidence.append((0.2, f"links from {who}"))
        elif new_author and evidence:
            evidence.append((0.05, "a new or guest author"))

        score = 1.0
        for weight, _ in evidence:
            score *= 1.0 - weight
        score = 1.0 - score
        trusted = author.approved_count >= 10 and (author.account_age_days or 0) >= 30
        if trusted and not any(weight >= 0.9 for weight, _ in evidence):
            score *= 0.7
        reasons = [reason for weight, reason in sorted(evidence, key=lambda item: -item[0]) if weight >= 0.1]
        return SignalResult(score, reasons[:4])
