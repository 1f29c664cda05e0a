"""digitocr: read rows of handwritten digits from photos."""
