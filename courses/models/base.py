"""What the course content models share: their text in the active language."""

from core.i18n import localized


class Localized:
    """`.t("title")` / `.display_title` on content models."""

    def t(self, field: str, language: str | None = None) -> str:
        return localized(self, field, language)

    @property
    def display_title(self) -> str:
        return localized(self, "title")
