"""Which drawn digit each digit read stands for, by box centres (the generator knows every box)."""
from __future__ import annotations

from dataclasses import dataclass

from ..results import Box


@dataclass
class Match:
    """What lies under one digit read."""
    covers: list[int]  # the drawn digits whose centres its box holds (two or more: merged neighbours)
    owner: int | None  # the drawn digit whose box holds its centre, the nearest where boxes overlap


def match(drawn: list[Box], read: list[Box]) -> list[Match]:
    """For each box read, the drawn boxes under it (indices into ``drawn``)."""
    matches = []
    for box in read:
        covers = [i for i, truth in enumerate(drawn) if holds(box, centre(truth))]
        below = [i for i, truth in enumerate(drawn) if holds(truth, centre(box))]
        owner = min(below, key=lambda i: squared_distance(centre(drawn[i]), centre(box)), default=None)
        matches.append(Match(covers, owner))
    return matches


def centre(box: Box) -> tuple[float, float]:
    return box.x + box.w / 2, box.y + box.h / 2


def holds(box: Box, point: tuple[float, float]) -> bool:
    x, y = point
    return box.x <= x < box.x + box.w and box.y <= y < box.y + box.h


def squared_distance(a: tuple[float, float], b: tuple[float, float]) -> float:
    return (a[0] - b[0]) ** 2 + (a[1] - b[1]) ** 2
