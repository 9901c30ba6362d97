"""Atom feeds of newly published and updated entries (django.contrib.syndication), for any target
(targets.py) in the language of the address (/fi/, /sv/, /en/; the syndication framework names
the active language). Only published entries."""

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.http import Http404
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape
from django.utils.translation import gettext as _

from methodbank.catalog.translations import practice_list_content

from .targets import target_resolve

FEED_SIZE = 50


class TargetFeed(Feed):
    feed_type = Atom1Feed

    def get_object(self, request, kind, key):
        target = target_resolve(kind, key)
        if target is None:
            raise Http404("Nothing to feed here")
        return target

    def title(self, target):
        return f"{_('Menetelmäpankki')}: {target.title}"

    def subtitle(self, target):
        return _("Newly published and updated models and good practices.")

    # Absolute addresses from SITE_URL, as everywhere in the bank: an entry's Atom id must not change
    # with the host name a reader happened to use.
    def link(self, target):
        return settings.SITE_URL + target.page_url

    def feed_url(self, target):
        return settings.SITE_URL + target.feed_url

    def items(self, target):
        return (
            target.entries()
            .select_related("project")
            .prefetch_related("translations")
            .order_by("-updated_at", "-pk")[:FEED_SIZE]
        )

    def _content(self, practice):
        # The title and summary in the feed's language where the entry is translated.
        cached = getattr(practice, "_feed_content", None)
        if cached is None:
            cached = practice._feed_content = practice_list_content(practice=practice)
        return cached

    def item_title(self, practice):
        return f"{self._content(practice).fields['title']} ({practice.get_kind_display()})"

    def item_description(self, practice):
        # Atom's summary is type="html": readers render it, so the plain text is escaped first.
        return escape(str(self._content(practice).fields["summary"]))

    def item_link(self, practice):
        return settings.SITE_URL + practice.get_absolute_url()

    def item_pubdate(self, practice):
        return practice.published_at or practice.created_at

    def item_updateddate(self, practice):
        return practice.updated_at

    def item_author_name(self, practice):
        # The project, never a person: the feed is public and names no one.
        return practice.project.name if practice.project_id else None


target_feed = TargetFeed()
