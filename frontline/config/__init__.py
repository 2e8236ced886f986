"""The site's configuration: the options under extra.frontline and the project read from mkdocs.yml."""
