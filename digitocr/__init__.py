"""digitocr: read rows of handwritten digits from photos.

    >>> import digitocr
    >>> page = digitocr.read("photo.jpg")
    >>> page.texts()
    ['40729183', '5561']

For many images, load the model once: ``reader = digitocr.reader.Reader()`` then ``reader.read(array)``.
"""
from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the real imports happen inside read(), so `import digitocr` stays cheap
    import numpy as np

    from .results import Page


def read(image: str | Path | np.ndarray, model: str | Path | None = None) -> Page:
    """Read the rows of digits in an image file (path, ``"-"`` for stdin) or an array.

    Arrays may be gray or BGR/BGRA (OpenCV's channel order), 8 or 16 bits. ``model``: ``None``
    for the default model, ``"base"`` for the shipped one, or the path of an ``.onnx`` file.
    Raises ``digitocr.loading.ImageError`` for unreadable files and
    ``digitocr.classifier.ModelError`` for a missing or corrupt model.
    """
    from .loading import load_image, to_uint8
    from .reader import Reader

    if isinstance(image, (str, Path)):
        source, pixels = str(image), load_image(image)
    else:
        source, pixels = "<array>", to_uint8(image)
    return Reader(model).read(pixels, source)
