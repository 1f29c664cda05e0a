"""Batched augmentation on tensors, so the model sees digits the way photo crops present them.

Crops cut from photos differ from MNIST in slant, size, stroke width, blur and sensor noise;
segmentation also leaves them slightly off-centre, with the odd gap where the pen skipped or a
rule was erased across a stroke, and the odd stub of a rule it did not erase. Everything here
runs on a whole N×1×28×28 batch at once with torch ops (no per-image Python loop).
"""
from __future__ import annotations

import math

import torch
import torch.nn.functional as F


def _uniform(n: int, low: float, high: float, gen: torch.Generator) -> torch.Tensor:
    return torch.rand(n, generator=gen) * (high - low) + low


def random_affine(x: torch.Tensor, gen: torch.Generator, rotate: float = 12.0, scale: tuple[float, float] = (0.85, 1.12),
                  shear: float = 0.2, shift: float = 2.0) -> torch.Tensor:
    """Rotate (degrees), scale, shear and shift (pixels) each image by its own random amount."""
    n = x.shape[0]
    angle = _uniform(n, -rotate, rotate, gen) * math.pi / 180
    s = _uniform(n, *scale, gen)
    aspect = _uniform(n, 0.9, 1.1, gen)  # handwriting is taller or wider than MNIST's average
    sx, sy = s * aspect, s / aspect
    sh = _uniform(n, -shear, shear, gen)
    tx, ty = (_uniform(n, -shift, shift, gen) * 2 / x.shape[-1] for _ in range(2))
    cos, sin = torch.cos(angle), torch.sin(angle)
    # affine_grid maps output coordinates to input ones, so this is the inverse transform;
    # its randomness is symmetric, which makes the distinction irrelevant.
    theta = torch.stack([
        torch.stack([cos / sx, (-sin + sh * cos) / sx, tx], dim=1),
        torch.stack([sin / sy, (cos + sh * sin) / sy, ty], dim=1),
    ], dim=1)
    grid = F.affine_grid(theta, list(x.shape), align_corners=False)
    return F.grid_sample(x, grid, align_corners=False, padding_mode="zeros")


def random_stroke_width(x: torch.Tensor, gen: torch.Generator, p: float = 0.4) -> torch.Tensor:
    """Thicken (grey-level dilation) or thin (erosion) the strokes of a random subset."""
    n = x.shape[0]
    pick = torch.rand(n, generator=gen)
    thick = F.max_pool2d(x, 3, stride=1, padding=1)
    thin = -F.max_pool2d(-x, 3, stride=1, padding=1)
    # Blend rather than replace, so the change is a random fraction of one pixel.
    amount = _uniform(n, 0.3, 1.0, gen).view(n, 1, 1, 1)
    out = x.clone()
    grow = (pick < p / 2).view(n, 1, 1, 1)
    shrink = ((pick >= p / 2) & (pick < p)).view(n, 1, 1, 1)
    out = torch.where(grow, x + amount * (thick - x), out)
    out = torch.where(shrink, x + 0.6 * amount * (thin - x), out)
    return out


def random_blur_noise(x: torch.Tensor, gen: torch.Generator, p_blur: float = 0.25, noise: float = 0.06) -> torch.Tensor:
    """Soften a random subset with a 3×3 Gaussian, then add a little per-pixel noise."""
    n = x.shape[0]
    kernel = torch.tensor([1.0, 2.0, 1.0])
    kernel = (kernel[:, None] * kernel[None, :] / 16).view(1, 1, 3, 3)
    blurred = F.conv2d(x, kernel, padding=1)
    x = torch.where((torch.rand(n, generator=gen) < p_blur).view(n, 1, 1, 1), blurred, x)
    sigma = _uniform(n, 0, noise, gen).view(n, 1, 1, 1)
    return (x + sigma * torch.randn(x.shape, generator=gen)).clamp(0, 1)


def random_rule(x: torch.Tensor, gen: torch.Generator, p: float = 0.1) -> torch.Tensor:
    """Draw a thin, slightly tilted line across a random subset, above, through or under the digit:
    what a ruled line leaves on a crop when its erasure stops short of the digit's strokes."""
    n, _, side, _ = x.shape
    pick = (torch.rand(n, generator=gen) < p).view(n, 1, 1)
    cols = torch.arange(side, dtype=torch.float32).view(1, 1, side)
    rows = torch.arange(side, dtype=torch.float32).view(1, side, 1)
    height = _uniform(n, 3, side - 3, gen).view(n, 1, 1) + _uniform(n, -0.08, 0.08, gen).view(n, 1, 1) * (cols - side / 2)
    # A rule runs past the digit on both sides: its stub spans the whole crop, unlike a 7's bar.
    start, length = _uniform(n, 0, 4, gen).view(n, 1, 1), _uniform(n, side - 6, side, gen).view(n, 1, 1)
    width = _uniform(n, 0.6, 1.6, gen).view(n, 1, 1)
    line = ((rows - height).abs() < width) & (cols >= start) & (cols < start + length) & pick
    ink = _uniform(n, 0.5, 1.0, gen).view(n, 1, 1, 1)
    return torch.maximum(x, line.unsqueeze(1) * ink)


def random_gap(x: torch.Tensor, gen: torch.Generator, p: float = 0.1) -> torch.Tensor:
    """Cut a narrow band through a random subset's strokes: a pen skip or a rule erased across a stroke."""
    n, _, side, _ = x.shape
    pick = (torch.rand(n, generator=gen) < p).view(n, 1, 1, 1)
    angle = _uniform(n, 0, math.pi, gen).view(n, 1, 1, 1)
    offset = _uniform(n, -6, 6, gen).view(n, 1, 1, 1)
    coords = torch.arange(side, dtype=torch.float32) - side / 2
    distance = coords.view(1, 1, 1, side) * torch.cos(angle) + coords.view(1, 1, side, 1) * torch.sin(angle) - offset
    gap = (distance.abs() < _uniform(n, 0.5, 1.5, gen).view(n, 1, 1, 1)) & pick
    return x.masked_fill(gap, 0.0)


def augment(x: torch.Tensor, gen: torch.Generator) -> torch.Tensor:
    """The training recipe: pen skips and rule residue, affine, stroke width, blur and noise, in that order."""
    x = random_rule(random_gap(x, gen), gen)
    return random_blur_noise(random_stroke_width(random_affine(x, gen), gen), gen)


def light_augment(x: torch.Tensor, gen: torch.Generator) -> torch.Tensor:
    """Milder than MNIST training, for crops that already are the style to learn (a user's samples,
    crops cut from pages): only jitter them."""
    x = random_affine(x, gen, rotate=8.0, scale=(0.9, 1.08), shear=0.12, shift=1.5)
    return random_blur_noise(random_stroke_width(x, gen, p=0.3), gen, p_blur=0.2, noise=0.04)
