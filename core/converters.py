"""Path converters shared by every app's routes."""

# The largest id a database key column holds (a signed 64-bit integer, Django's BigAutoField).
MAX_ID = 2**63 - 1


def is_id(value) -> bool:
    """True for an id a stored object can have: a plain ASCII number from 1 to MAX_ID ("²", "١٢",
    "1.5", "-1" and a 30-digit number are not)."""
    text = str(value)
    return text.isascii() and text.isdigit() and 1 <= int(text) <= MAX_ID


class IdConverter:
    """`<id:pk>`: the id of a stored object, a plain ASCII number from 1 to MAX_ID.

    Django's `<int:pk>` takes any run of digits, so `/people/999…9/` (30 nines) reached the view
    and its lookups ended in a database overflow (a 500). Anything outside the range does not
    resolve: the request answers 404, as for an id that names nothing."""

    regex = "[0-9]{1,19}"

    def to_python(self, value: str) -> int:
        number = int(value)
        if not 1 <= number <= MAX_ID:
            raise ValueError(value)
        return number

    def to_url(self, value) -> str:
        return str(value)
