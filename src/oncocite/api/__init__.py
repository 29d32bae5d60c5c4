"""The REST API and web page: the Library over HTTP, with the same models."""
