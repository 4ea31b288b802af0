from wagtail import hooks

# Wagtail's own document and image libraries serve files from public URLs, outside the records' access
# checks; Sijill keeps case documents as records, so those libraries are not offered to staff.
HIDDEN_MENU_ITEMS = {"documents", "images"}


@hooks.register("construct_main_menu")
def hide_wagtail_file_libraries(request, menu_items):
    menu_items[:] = [item for item in menu_items if item.name not in HIDDEN_MENU_ITEMS]
