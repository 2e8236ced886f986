"""Publishing a built site to the hosting a newsroom uses (issue 24)."""
