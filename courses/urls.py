"""Trainee and authoring pages of courses. The page URL names the rest of the product links to:
`courses:course` and `courses:lesson`, each with one `pk` argument."""

app_name = "courses"

urlpatterns: list = []
