"""Generic build machinery that knows nothing of news: forked workers, atomic site swaps, locks, the page cache,
fingerprints and the rule that every written path stays inside the site."""
