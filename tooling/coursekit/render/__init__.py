"""Renderers: each takes the course model and returns files; writing to disk happens elsewhere."""
