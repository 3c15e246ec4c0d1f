"""Reading a paged API list whole, as a client following its `next` links does."""


def listed_ids(client, path: str, *, page_size: int) -> list[int]:
    """Every id the API lists at `path`, page by page, `page_size` rows a page."""
    ids, url = [], f"{path}{'&' if '?' in path else '?'}page_size={page_size}"
    while url:
        body = client.get(url).json()
        ids += [row["id"] for row in body["results"]]
        url = body["next"]
    return ids
