from django.contrib import admin

from .models import Character, Company, Credit, Film, FilmTitle, Franchise, FranchiseEntry, Person, ReleaseDate


class FilmTitleInline(admin.TabularInline):
    model = FilmTitle
    extra = 0


class ReleaseDateInline(admin.TabularInline):
    model = ReleaseDate
    extra = 0


class CreditInline(admin.TabularInline):
    model = Credit
    extra = 0
    autocomplete_fields = ["person", "character"]


@admin.register(Film)
class FilmAdmin(admin.ModelAdmin):
    list_display = ("title", "imdb_id", "runtime_minutes")
    search_fields = ("title", "titles__title", "imdb_id", "tmdb_id", "wikidata_id")
    prepopulated_fields = {"slug": ("title",)}
    filter_horizontal = ("studios",)
    inlines = [FilmTitleInline, ReleaseDateInline, CreditInline]


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = ("name", "birth_date", "death_date")
    search_fields = ("name",)
    prepopulated_fields = {"slug": ("name",)}


@admin.register(Character)
class CharacterAdmin(admin.ModelAdmin):
    list_display = ("name", "franchise")
    search_fields = ("name",)
    prepopulated_fields = {"slug": ("name",)}


class FranchiseEntryInline(admin.TabularInline):
    model = FranchiseEntry
    extra = 0
    autocomplete_fields = ["film"]


@admin.register(Franchise)
class FranchiseAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "parent")
    search_fields = ("name",)
    prepopulated_fields = {"slug": ("name",)}
    inlines = [FranchiseEntryInline]


@admin.register(Company)
class CompanyAdmin(admin.ModelAdmin):
    search_fields = ("name",)
    prepopulated_fields = {"slug": ("name",)}
