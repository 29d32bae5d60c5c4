"""Ingest: read each format, clean it, validate metadata, chunk, and store."""
