"""Training the digit CNN on MNIST: the loop, per-epoch evaluation, and best-epoch selection.

Training can also start from a trained model and mix crops cut from generated pages into every
batch (see pagecrops.py), so that it learns what segmentation hands it."""
from __future__ import annotations

import copy
import math
import time
from dataclasses import asdict, dataclass, field

import numpy as np
import torch
import torch.nn.functional as F
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn

from .augment import augment, light_augment
from .mnist import Split
from .model import DigitNet
from .negatives import NOT_A_DIGIT, make_negatives


@dataclass
class TrainConfig:
    epochs: int = 26
    batch_size: int = 128
    lr: float = 4e-3
    weight_decay: float = 5e-4
    label_smoothing: float = 0.05
    # Crops that are not one digit (see negatives.py), per digit in a batch; they are trained
    # towards equal scores for all ten classes, with this weight on their loss.
    negatives: float = 0.25
    negative_weight: float = 0.3
    seed: int = 0
    limit: int | None = None  # train on the first N samples only (tests, quick checks)
    # Crops cut from generated pages (pagecrops.py), per digit in a batch, when there are any.
    page_crops: float = 0.5


def to_tensor(images: np.ndarray) -> torch.Tensor:
    """N×28×28 uint8 → N×1×28×28 float in [0, 1]."""
    return torch.from_numpy(np.array(images, dtype=np.uint8)).float().div_(255).unsqueeze(1)


@torch.no_grad()
def accuracy(model: torch.nn.Module, images: torch.Tensor, labels: torch.Tensor, batch_size: int = 1000) -> float:
    model.eval()
    correct = 0
    for start in range(0, len(images), batch_size):
        scores = model(images[start:start + batch_size])
        correct += int((scores.argmax(1) == labels[start:start + batch_size]).sum())
    return correct / max(len(images), 1)


def with_negatives(x: torch.Tensor, y: torch.Tensor, pool: torch.Tensor | None, count: int,
                   gen: torch.Generator) -> tuple[torch.Tensor, torch.Tensor]:
    """The batch followed by ``count`` random crops of ``pool``, labelled NOT_A_DIGIT."""
    if pool is None or count == 0:
        return x, y
    picked = pool[torch.randint(len(pool), (count,), generator=gen)]
    return torch.cat([x, picked]), torch.cat([y, torch.full((count,), NOT_A_DIGIT, dtype=y.dtype)])


def digit_loss(scores: torch.Tensor, labels: torch.Tensor, label_smoothing: float, negative_weight: float) -> torch.Tensor:
    """Cross-entropy on the digits, plus for NOT_A_DIGIT crops the cross-entropy against equal
    scores for every class (outlier exposure), weighted by ``negative_weight``."""
    digit = labels != NOT_A_DIGIT
    loss = F.cross_entropy(scores[digit], labels[digit], label_smoothing=label_smoothing)
    if not digit.all():
        loss = loss - negative_weight * F.log_softmax(scores[~digit], dim=1).mean()
    return loss


@torch.no_grad()
def confidence(model: torch.nn.Module, images: torch.Tensor) -> float:
    """Mean top-class probability: for crops that are not digits, lower is better (0.1 at best)."""
    model.eval()
    return float(F.softmax(model(images), dim=1).max(1).values.mean())


def progress_bar() -> Progress:
    return Progress(
        TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(),
        TextColumn("{task.fields[stats]}"), TimeElapsedColumn(), TimeRemainingColumn(), transient=False,
    )


def train(train_split: Split, test_split: Split, config: TrainConfig, show_progress: bool = True,
          initial: DigitNet | None = None, pages: tuple[np.ndarray, np.ndarray] | None = None):
    """Train ``initial`` (else a fresh DigitNet); returns (best model, history, best epoch record).

    ``pages``: crops and labels (0..9 or NOT_A_DIGIT) cut from generated pages, mixed into every batch."""
    torch.manual_seed(config.seed)
    gen = torch.Generator().manual_seed(config.seed)
    n = len(train_split.images) if config.limit is None else min(config.limit, len(train_split.images))
    x_train, y_train = to_tensor(train_split.images[:n]), torch.from_numpy(train_split.labels[:n])
    x_test, y_test = to_tensor(test_split.images), torch.from_numpy(test_split.labels)
    per_batch = round(config.negatives * config.batch_size)
    pool = to_tensor(make_negatives(train_split.images[:n], train_split.labels[:n], n // 2, config.seed)) if per_batch else None
    # Held out from the test digits: how sure the model stays of crops that are not digits.
    held_out = to_tensor(make_negatives(test_split.images, test_split.labels, 2000, config.seed + 1))

    page_x, page_y = (to_tensor(pages[0]), torch.from_numpy(pages[1])) if pages is not None and len(pages[1]) else (None, None)
    per_batch_pages = round(config.page_crops * config.batch_size) if page_x is not None else 0

    model = initial if initial is not None else DigitNet()
    steps_per_epoch = math.ceil(n / config.batch_size)
    optimizer, schedule = one_cycle(model.parameters(), config.lr, config.weight_decay, config.epochs * steps_per_epoch)
    epochs = BestEpoch("test_accuracy")
    started = time.monotonic()
    with progress_bar() as progress:
        task = progress.add_task("training", total=config.epochs * steps_per_epoch, stats="", visible=show_progress)
        for epoch in range(1, config.epochs + 1):
            model.train()
            order = torch.randperm(n, generator=gen)
            loss_sum, correct = 0.0, 0
            for step, start in enumerate(range(0, n, config.batch_size)):
                idx = order[start:start + config.batch_size]
                x, y = with_negatives(x_train[idx], y_train[idx], pool, per_batch, gen)
                x = augment(x, gen)
                if per_batch_pages:
                    picked = torch.randint(len(page_y), (per_batch_pages,), generator=gen)
                    x, y = torch.cat([x, light_augment(page_x[picked], gen)]), torch.cat([y, page_y[picked]])
                scores = model(x)
                loss = digit_loss(scores, y, config.label_smoothing, config.negative_weight)
                descend(loss, optimizer, schedule)
                loss_sum += loss.item() * len(idx)
                correct += int((scores[:len(idx)].argmax(1) == y[:len(idx)]).sum())
                if step % 20 == 0:
                    seen = start + len(idx)
                    progress.update(task, stats=f"epoch {epoch}/{config.epochs} loss {loss_sum / seen:.4f} "
                                                f"train acc {correct / seen:.4f}")
                progress.advance(task)
            test_acc = accuracy(model, x_test, y_test)
            record = {"epoch": epoch, "loss": loss_sum / n, "train_accuracy": correct / n, "test_accuracy": test_acc,
                      "not_digit_confidence": confidence(model, held_out),
                      "seconds": round(time.monotonic() - started, 1)}
            progress.console.print(f"epoch {epoch:2d}: loss {record['loss']:.4f}  train acc {record['train_accuracy']:.4f}  "
                                   f"test acc {test_acc:.4f}  not-a-digit confidence {record['not_digit_confidence']:.3f}  "
                                   f"({record['seconds']:.0f} s)")
            epochs.add(record, model)
    return epochs.best_model(model)


def one_cycle(parameters, lr: float, weight_decay: float, total_steps: int, pct_start: float = 0.2):
    """AdamW with a one-cycle learning-rate schedule over ``total_steps``: (optimizer, schedule)."""
    optimizer = torch.optim.AdamW(parameters, lr=lr, weight_decay=weight_decay)
    # OneCycle needs a few steps per phase; tiny --limit runs simply stop before the cycle ends.
    schedule = torch.optim.lr_scheduler.OneCycleLR(optimizer, max_lr=lr, total_steps=max(total_steps, 10), pct_start=pct_start)
    return optimizer, schedule


def descend(loss: torch.Tensor, optimizer: torch.optim.Optimizer, schedule) -> None:
    """One optimisation step on ``loss``, and one step of the learning-rate schedule."""
    optimizer.zero_grad(set_to_none=True)
    loss.backward()
    optimizer.step()
    schedule.step()


@dataclass
class BestEpoch:
    """A run's epoch records, and the weights of the epoch whose ``key`` is highest (the earlier on a tie)."""
    key: str
    history: list[dict] = field(default_factory=list)
    best: dict | None = None
    best_state: dict | None = None

    def add(self, record: dict, model: torch.nn.Module) -> None:
        self.history.append(record)
        if self.best is None or record[self.key] > self.best[self.key]:
            self.best, self.best_state = record, copy.deepcopy(model.state_dict())

    def best_model(self, model: torch.nn.Module) -> tuple[torch.nn.Module, list[dict], dict]:
        """``model`` with the best epoch's weights, in eval mode; the history; the best epoch's record."""
        model.load_state_dict(self.best_state)
        return model.eval(), self.history, self.best


def recipe(config: TrainConfig) -> dict:
    """What went into a model, for its metadata file."""
    return {**asdict(config), "optimizer": "AdamW + OneCycle", "augmentation": "pen skips, rule residue, affine, stroke width, blur, noise",
            "not_digits": "pieces of digits, touching pairs, clutter; trained towards equal scores"}
