"""Reading and validating content: front matter, dates, names, the content model, the URL scheme and the sanitizer."""
