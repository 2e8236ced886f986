"""Frontline: a static news-publishing site generator for Vietnamese newsrooms.

The package is split like Pelican's readers and generators:

* ``problems``, ``frontmatter``, ``dates``, ``slugs``: small parsing helpers;
* ``model``: the typed records (stories, campaigns, authors);
* ``loader``: reads and validates the content once, collecting every problem;
* ``views``: pure functions from the content model to data for templates and feeds;
* ``engine``: the only place that knows MkDocs.
"""

__version__ = "0.1.0"
