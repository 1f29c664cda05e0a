"""Fine-tuning the shipped digit CNN on a user's own samples without forgetting MNIST.

A few dozen samples per digit are far too few to train on alone: the model would forget the
variety MNIST taught it. So every batch mixes the user's crops with MNIST training digits
("replay") and with crops that are not one digit, so the model keeps doubting those as training
taught it; the learning rate stays small, and the epoch kept is the one that reads the user's
held-out samples best.
"""
from __future__ import annotations

import copy
import math
import time
from dataclasses import asdict, dataclass

import numpy as np
import torch

from .augment import light_augment
from .mnist import Split
from .model import DigitNet
from .negatives import make_negatives
from .train import accuracy, descend, digit_loss, one_cycle, progress_bar, to_tensor, with_negatives

MIN_STEPS_PER_EPOCH = 20  # a few dozen samples make one or two batches; an epoch needs more steps to matter
NEGATIVES = 5000  # crops that are not one digit to draw from: plenty for a few hundred steps


@dataclass
class FinetuneConfig:
    epochs: int = 12
    batch_size: int = 32  # user samples per step
    replay_ratio: int = 2  # MNIST samples mixed into each step per user sample; 0 turns replay off
    lr: float = 1e-3
    weight_decay: float = 1e-4
    label_smoothing: float = 0.05
    negatives: float = 0.25  # crops that are not one digit per sample in a batch (with replay only)
    negative_weight: float = 0.3
    freeze_features: bool = False  # train only the final layer
    seed: int = 0


def holdout_split(labels: np.ndarray, fraction: float, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Indices (train, held-out): ``fraction`` of every class held out, leaving each class one sample to train on."""
    rng = np.random.default_rng(seed)
    train, held = [], []
    for digit in np.unique(labels):
        idx = rng.permutation(np.flatnonzero(labels == digit))
        n_held = min(round(fraction * len(idx)), len(idx) - 1)
        held.extend(idx[:n_held])
        train.extend(idx[n_held:])
    return np.sort(np.array(train, dtype=np.int64)), np.sort(np.array(held, dtype=np.int64))


def _tensors(split: Split) -> tuple[torch.Tensor, torch.Tensor]:
    return to_tensor(split.images), torch.from_numpy(np.asarray(split.labels, dtype=np.int64))


def evaluate(model: torch.nn.Module, split: Split) -> float | None:
    """Accuracy on ``split``, or None when it is empty."""
    return accuracy(model, *_tensors(split)) if len(split.labels) else None


def _trainable(model: DigitNet, freeze_features: bool) -> list[torch.nn.Parameter]:
    if freeze_features:
        for p in model.features.parameters():
            p.requires_grad_(False)
        return list(model.head.parameters())
    return list(model.parameters())


def _set_train_mode(model: DigitNet, freeze_features: bool) -> None:
    model.train()
    if freeze_features:
        model.features.eval()  # frozen features keep their batch-norm statistics too


@dataclass
class TrainingPool:
    """What every fine-tuning batch draws from, made once for the whole run."""
    x_user: torch.Tensor
    y_user: torch.Tensor
    x_replay: torch.Tensor | None  # MNIST training digits, None without replay
    y_replay: torch.Tensor | None
    not_digits: torch.Tensor | None  # crops that are not one digit, made from the replayed digits


def training_pool(user: Split, replay: Split | None, config: FinetuneConfig) -> TrainingPool:
    x_user, y_user = _tensors(user)
    if replay is None or config.replay_ratio == 0:
        return TrainingPool(x_user, y_user, None, None, None)
    not_digits = None
    if config.negatives > 0:
        not_digits = to_tensor(make_negatives(replay.images, replay.labels, NEGATIVES, config.seed))
    return TrainingPool(x_user, y_user, *_tensors(replay), not_digits)


def mixed_batches(pool: TrainingPool, config: FinetuneConfig, steps: int, gen: torch.Generator):
    """``steps`` batches of the user's samples (shuffled, cycled as often as needed), each followed by
    ``replay_ratio`` times as many random MNIST training digits and then by crops that are not
    one digit."""
    n = len(pool.y_user)
    batch = min(config.batch_size, n)
    order = torch.cat([torch.randperm(n, generator=gen) for _ in range(math.ceil(steps * batch / n))])
    for step in range(steps):
        idx = order[step * batch:(step + 1) * batch]
        x, y = pool.x_user[idx], pool.y_user[idx]
        if pool.x_replay is not None:
            pick = torch.randint(len(pool.y_replay), (len(idx) * config.replay_ratio,), generator=gen)
            x, y = torch.cat([x, pool.x_replay[pick]]), torch.cat([y, pool.y_replay[pick]])
        yield with_negatives(x, y, pool.not_digits, round(config.negatives * len(y)), gen)


def finetune(model: DigitNet, user_train: Split, user_val: Split, replay: Split | None, config: FinetuneConfig,
             show_progress: bool = True):
    """Fine-tune ``model`` in place; returns (model with the best epoch's weights, history, best epoch record).

    The best epoch has the highest held-out accuracy; on a tie the later one wins, because a few
    dozen held-out samples rarely separate epochs and the annealed weights of later epochs are
    the settled ones. Without held-out samples it is the last epoch.
    """
    torch.manual_seed(config.seed)
    gen = torch.Generator().manual_seed(config.seed)
    steps = max(math.ceil(len(user_train.labels) / config.batch_size), MIN_STEPS_PER_EPOCH)
    pool = training_pool(user_train, replay, config)
    optimizer, schedule = one_cycle(_trainable(model, config.freeze_features), config.lr, config.weight_decay,
                                    config.epochs * steps, pct_start=0.15)
    history: list[dict] = []
    best, best_state = None, None
    started = time.monotonic()
    with progress_bar() as progress:
        task = progress.add_task("fine-tuning", total=config.epochs * steps, stats="", visible=show_progress)
        for epoch in range(1, config.epochs + 1):
            _set_train_mode(model, config.freeze_features)
            loss_sum = 0.0
            for step, (x, y) in enumerate(mixed_batches(pool, config, steps, gen), 1):
                loss = digit_loss(model(light_augment(x, gen)), y, config.label_smoothing, config.negative_weight)
                descend(loss, optimizer, schedule)
                loss_sum += loss.item()
                progress.update(task, advance=1, stats=f"epoch {epoch}/{config.epochs} loss {loss_sum / step:.4f}")
            val_acc = evaluate(model, user_val)
            record = {"epoch": epoch, "loss": loss_sum / steps, "val_accuracy": val_acc,
                      "seconds": round(time.monotonic() - started, 1)}
            history.append(record)
            if show_progress:
                shown = "n/a" if val_acc is None else f"{val_acc:.4f}"
                progress.console.print(f"epoch {epoch:2d}: loss {record['loss']:.4f}  held-out accuracy {shown}")
            if best is None or val_acc is None or val_acc >= best["val_accuracy"]:
                best, best_state = record, copy.deepcopy(model.state_dict())
    model.load_state_dict(best_state)
    return model.eval(), history, best


def recipe(config: FinetuneConfig) -> dict:
    """What went into a fine-tuned model, for its metadata file."""
    return {**asdict(config), "optimizer": "AdamW + OneCycle", "augmentation": "light affine, stroke width, blur, noise",
            "min_steps_per_epoch": MIN_STEPS_PER_EPOCH}
