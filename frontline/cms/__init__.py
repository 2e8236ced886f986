"""The browser editor for stories: Decap CMS's configuration made from Frontline's content model, and the
local server that lets a reporter edit the project's files from a browser (``frontline cms``)."""
