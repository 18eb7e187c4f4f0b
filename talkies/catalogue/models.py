"""The film catalogue: films, people, characters, credits, studios and franchises.

The catalogue is shared by every site in an installation (films are facts). Nothing here knows about
stories, comments or ratings; those apps point at the catalogue, never the reverse.
"""

from django.db import models
from django.urls import reverse


class Company(models.Model):
    """A studio, distributor or production company."""

    name = models.CharField(max_length=200)
    slug = models.SlugField(unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "companies"

    def __str__(self) -> str:
        return self.name


class Film(models.Model):
    title = models.CharField(max_length=300, help_text="The title the film is best known by.")
    slug = models.SlugField(unique=True)
    synopsis = models.TextField(blank=True)
    runtime_minutes = models.PositiveIntegerField(null=True, blank=True)
    studios = models.ManyToManyField(Company, blank=True, related_name="films")
    imdb_id = models.CharField(max_length=16, blank=True, help_text="e.g. tt7181546")
    tmdb_id = models.CharField(max_length=16, blank=True)
    wikidata_id = models.CharField(max_length=16, blank=True, help_text="e.g. Q65109616")

    class Meta:
        ordering = ["title"]
        constraints = [
            models.UniqueConstraint(fields=["imdb_id"], condition=~models.Q(imdb_id=""), name="unique_film_imdb_id"),
            models.UniqueConstraint(fields=["tmdb_id"], condition=~models.Q(tmdb_id=""), name="unique_film_tmdb_id"),
            models.UniqueConstraint(
                fields=["wikidata_id"], condition=~models.Q(wikidata_id=""), name="unique_film_wikidata_id"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("film-detail", kwargs={"slug": self.slug})


class FilmTitle(models.Model):
    """Another name a film goes by: its original title, a marketing title, a regional release title."""

    class Kind(models.TextChoices):
        ORIGINAL = "original", "Original title"
        MARKETING = "marketing", "Marketing title"
        REGIONAL = "regional", "Regional title"
        WORKING = "working", "Working title"
        ALTERNATIVE = "alternative", "Alternative title"

    film = models.ForeignKey(Film, on_delete=models.CASCADE, related_name="titles")
    title = models.CharField(max_length=300)
    kind = models.CharField(max_length=16, choices=Kind.choices, default=Kind.ALTERNATIVE)
    region = models.CharField(max_length=2, blank=True, help_text="ISO 3166 country, blank for everywhere.")

    class Meta:
        ordering = ["kind", "title"]

    def __str__(self) -> str:
        return f"{self.title} ({self.get_kind_display()})"


class ReleaseDate(models.Model):
    """When a film opens, per region and kind. A film's status ("in theatres") is derived from these."""

    class Kind(models.TextChoices):
        PREMIERE = "premiere", "Premiere"
        FESTIVAL = "festival", "Festival"
        THEATRICAL = "theatrical", "Theatrical"
        DIGITAL = "digital", "Digital"
        PHYSICAL = "physical", "Physical"
        TV = "tv", "TV"

    film = models.ForeignKey(Film, on_delete=models.CASCADE, related_name="release_dates")
    region = models.CharField(max_length=2, help_text="ISO 3166 country, e.g. US.")
    kind = models.CharField(max_length=16, choices=Kind.choices, default=Kind.THEATRICAL)
    date = models.DateField()
    note = models.CharField(max_length=200, blank=True, help_text="e.g. the festival's name")

    class Meta:
        ordering = ["date"]
        constraints = [
            models.UniqueConstraint(fields=["film", "region", "kind", "date"], name="unique_film_release_date")
        ]

    def __str__(self) -> str:
        return f"{self.film} — {self.get_kind_display()} {self.region} {self.date}"


class Person(models.Model):
    name = models.CharField(max_length=200)
    slug = models.SlugField(unique=True)
    birth_date = models.DateField(null=True, blank=True)
    death_date = models.DateField(null=True, blank=True)
    bio = models.TextField(blank=True)
    imdb_id = models.CharField(max_length=16, blank=True, help_text="e.g. nm1869101")

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "people"

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("person-detail", kwargs={"slug": self.slug})

    @property
    def is_deceased(self) -> bool:
        return self.death_date is not None

    @property
    def life_span(self) -> str:
        """'1962–2023' for someone who has died; '' when dates are unknown."""
        if self.birth_date and self.death_date:
            return f"{self.birth_date.year}–{self.death_date.year}"
        if self.death_date:
            return f"died {self.death_date.year}"
        return ""


class Franchise(models.Model):
    """A series of films, or a shared universe that contains franchises (parent)."""

    class Kind(models.TextChoices):
        FRANCHISE = "franchise", "Franchise"
        UNIVERSE = "universe", "Shared universe"

    name = models.CharField(max_length=200)
    slug = models.SlugField(unique=True)
    kind = models.CharField(max_length=16, choices=Kind.choices, default=Kind.FRANCHISE)
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="children",
        help_text="The universe this franchise belongs to.",
    )
    description = models.TextField(blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("franchise-detail", kwargs={"slug": self.slug})


class FranchiseEntry(models.Model):
    """A film's place in a franchise, in two orders.

    `release_order` is the order films came out; `chronology_order` is where the story sits in the
    universe's own timeline. A spin-off that happens during another film shares a position with it, so
    chronology is a decimal (3.5 sits between 3 and 4) and `chronology_note` says it in words.
    """

    franchise = models.ForeignKey(Franchise, on_delete=models.CASCADE, related_name="entries")
    film = models.ForeignKey(Film, on_delete=models.CASCADE, related_name="franchise_entries")
    release_order = models.PositiveIntegerField()
    chronology_order = models.DecimalField(max_digits=6, decimal_places=2)
    chronology_note = models.CharField(max_length=300, blank=True)
    is_spinoff = models.BooleanField(default=False)

    class Meta:
        ordering = ["release_order"]
        verbose_name_plural = "franchise entries"
        constraints = [
            models.UniqueConstraint(fields=["franchise", "film"], name="unique_franchise_film"),
            models.UniqueConstraint(fields=["franchise", "release_order"], name="unique_franchise_release_order"),
        ]

    def __str__(self) -> str:
        return f"{self.franchise} #{self.release_order}: {self.film}"


class Character(models.Model):
    """A character who may recur across films (Winston appears in every John Wick film)."""

    name = models.CharField(max_length=200)
    slug = models.SlugField(unique=True)
    franchise = models.ForeignKey(
        Franchise, null=True, blank=True, on_delete=models.SET_NULL, related_name="characters"
    )
    description = models.TextField(blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("character-detail", kwargs={"slug": self.slug})


class Credit(models.Model):
    class Role(models.TextChoices):
        ACTOR = "actor", "Actor"
        DIRECTOR = "director", "Director"
        WRITER = "writer", "Writer"
        PRODUCER = "producer", "Producer"
        COMPOSER = "composer", "Composer"
        CINEMATOGRAPHER = "cinematographer", "Cinematographer"
        EDITOR = "editor", "Editor"

    film = models.ForeignKey(Film, on_delete=models.CASCADE, related_name="credits")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="credits")
    role = models.CharField(max_length=20, choices=Role.choices)
    character = models.ForeignKey(Character, null=True, blank=True, on_delete=models.SET_NULL, related_name="credits")
    billing_order = models.PositiveIntegerField(default=100, help_text="1 is top billing.")
    note = models.CharField(max_length=200, blank=True, help_text="e.g. 'screenplay', 'cameo', 'voice'")

    class Meta:
        ordering = ["billing_order", "id"]
        constraints = [
            # Two constraints because SQLite cannot treat NULL characters as equal in one.
            models.UniqueConstraint(
                fields=["film", "person", "role", "character"],
                condition=models.Q(character__isnull=False),
                name="unique_credit_with_character",
            ),
            models.UniqueConstraint(
                fields=["film", "person", "role"],
                condition=models.Q(character__isnull=True),
                name="unique_credit_without_character",
            ),
        ]

    def __str__(self) -> str:
        who = f" as {self.character}" if self.character_id else ""
        return f"{self.person} — {self.get_role_display()}{who} in {self.film}"
