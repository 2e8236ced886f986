"""Frontline: a static news-publishing site generator for Vietnamese newsrooms.

Its folders are layers, each importing only from those before it (``tests/unit/test_layers.py``): ``build`` (generic
machinery), ``content`` (reading and validating, the URL scheme), ``config``, ``views`` (pure), ``output``
(serialisers, search, verify), ``deploy``, and ``engine``, the only place that knows MkDocs. README's code map has
the details.
"""

__version__ = "0.1.0"
