"""Serialisers and the files a build writes besides pages: feeds, exports, sitemaps, the search index, verify."""
