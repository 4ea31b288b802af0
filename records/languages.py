"""Languages a document can be written in, as ISO 639-3 codes (the codes Tesseract's models use too)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Language(models.TextChoices):
    ARABIC = "ara", _("Arabic")
    ENGLISH = "eng", _("English")
    FRENCH = "fra", _("French")
    SWAHILI = "swa", _("Swahili")
    TURKISH = "tur", _("Turkish")
    ALBANIAN = "sqi", _("Albanian")
    SERBIAN = "srp", _("Serbian")
    URDU = "urd", _("Urdu")
    KINYARWANDA = "kin", _("Kinyarwanda")
    HEBREW = "heb", _("Hebrew")
