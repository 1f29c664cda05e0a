"""The shipped digit model (installed as the ``digitocr.models`` package data)."""
