from django.templatetags.static import static
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.search import SearchArea

from search.highlight import page_matches
from search.views import READ_PERMISSION, SearchView


@hooks.register("register_admin_urls")
def register_search_url():
    return [
        path("search/", SearchView.as_view(), name="search_documents"),
        path("search/highlight/<uuid:version_id>/<int:number>/", page_matches, name="search_page_matches"),
    ]


class SearchMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm(READ_PERMISSION)


@hooks.register("register_admin_menu_item")
def register_search_menu_item():
    return SearchMenuItem(_("Search"), reverse("search_documents"), name="search_documents", icon_name="search", order=90)


class DocumentSearchArea(SearchArea):
    """The sidebar's search box offers the full text of rulings and legislation to those who read them."""

    def is_shown(self, request):
        return request.user.has_perm(READ_PERMISSION)


@hooks.register("register_admin_search_area")
def register_document_search_area():
    return DocumentSearchArea(
        _("Rulings and legislation"), reverse("search_documents"), name="documents", icon_name="doc-full", order=160
    )


@hooks.register("insert_global_admin_css")
def search_admin_css():
    return format_html('<link rel="stylesheet" href="{}">', static("search/search.css"))


@hooks.register("insert_global_admin_js")
def search_highlight_js():
    return format_html('<script src="{}" defer></script>', static("search/highlight.js"))
