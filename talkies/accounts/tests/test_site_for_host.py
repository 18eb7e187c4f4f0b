from talkies.accounts.models import Site
from talkies.accounts.selectors import site_for_host


def test_a_site_is_found_by_its_domain_else_the_default(site, other_site):
    other_site.domain = "other.example"
    other_site.save()
    assert site_for_host("other.example") == other_site
    assert site_for_host("unknown.example") == site  # slug reelnews is the default


def test_changing_a_site_is_seen_at_once_despite_the_cache(site):
    cached = site_for_host("127.0.0.1")
    assert cached is not None and cached.min_ratings_to_show == 5
    site.min_ratings_to_show = 12
    site.save()
    fresh = site_for_host("127.0.0.1")
    assert fresh is not None and fresh.min_ratings_to_show == 12


def test_deleting_the_cached_site_falls_back_to_another(site, other_site):
    assert site_for_host("127.0.0.1") == site
    Site.objects.filter(pk=site.pk).delete()
    assert site_for_host("127.0.0.1") == other_site
