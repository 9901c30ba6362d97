"""Length limits shared by the site's forms, the API and the importer: one rule, one place."""

# The longest text a template section (summary, description, ...) may hold, in characters.
SECTION_MAX_CHARS = 20_000
