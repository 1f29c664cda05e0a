"""Training the pair model (model.PairNet) on pairs of MNIST training digits made by pairdata.py.

The loop is train.py's: AdamW with a one-cycle schedule, label smoothing, batched augmentation,
the best epoch kept. Crops that are not two digits are trained towards equal scores on both heads,
as the digit model is trained on crops that are not one digit."""
from __future__ import annotations

import math
import time
from dataclasses import asdict, dataclass

import torch
import torch.nn.functional as F

from .augment import random_affine, random_blur_noise, random_stroke_width
from .mnist import Split
from .model import NUM_CLASSES, PairNet
from .negatives import NOT_A_DIGIT
from .pairdata import make_pairs
from .train import BestEpoch, descend, one_cycle, progress_bar, to_tensor


@dataclass
class PairConfig:
    epochs: int = 6
    pairs: int = 150_000  # crops made from the training digits, re-augmented every epoch
    batch_size: int = 128
    lr: float = 4e-3
    weight_decay: float = 5e-4
    label_smoothing: float = 0.05
    negative_weight: float = 0.3
    seed: int = 0


def augment_pairs(x: torch.Tensor, gen: torch.Generator) -> torch.Tensor:
    """Slant, size, stroke width, blur and noise, milder than for single digits: the pairs are
    already made of digits at their own sizes, heights and overlaps."""
    x = random_affine(x, gen, rotate=6.0, scale=(0.9, 1.08), shear=0.15, shift=1.5)
    return random_blur_noise(random_stroke_width(x, gen), gen)


def pair_loss(scores: torch.Tensor, labels: torch.Tensor, label_smoothing: float, negative_weight: float) -> torch.Tensor:
    """Cross-entropy of both heads on true pairs; for NOT_A_DIGIT crops, both heads against equal scores."""
    left, right = scores[:, :NUM_CLASSES], scores[:, NUM_CLASSES:]
    pair = labels[:, 0] != NOT_A_DIGIT
    loss = sum(F.cross_entropy(head[pair], labels[pair, k], label_smoothing=label_smoothing)
               for k, head in enumerate((left, right)))
    if not pair.all():
        loss = loss - negative_weight * sum(F.log_softmax(head[~pair], dim=1).mean() for head in (left, right))
    return loss


@torch.no_grad()
def pair_accuracy(model: PairNet, images: torch.Tensor, labels: torch.Tensor, batch_size: int = 1000) -> tuple[float, float]:
    """Share of true pairs read right (both digits), and the mean top probability of the two heads
    on crops that are not pairs (0.1 at best)."""
    model.eval()
    scores = torch.cat([model(images[i:i + batch_size]) for i in range(0, len(images), batch_size)])
    probs = [F.softmax(head, dim=1) for head in (scores[:, :NUM_CLASSES], scores[:, NUM_CLASSES:])]
    pair = labels[:, 0] != NOT_A_DIGIT
    right = (probs[0].argmax(1) == labels[:, 0]) & (probs[1].argmax(1) == labels[:, 1])
    unsure = torch.cat([p[~pair].max(1).values for p in probs])
    return float(right[pair].float().mean()), float(unsure.mean()) if len(unsure) else 0.0


def train_pairs(train_split: Split, test_split: Split, config: PairConfig, show_progress: bool = True):
    """A trained PairNet (its best epoch), the per-epoch history, and the best epoch's record."""
    torch.manual_seed(config.seed)
    gen = torch.Generator().manual_seed(config.seed)
    crops, labels = make_pairs(train_split.images, train_split.labels, config.pairs, config.seed)
    x_train, y_train = to_tensor(crops), torch.from_numpy(labels)
    test_crops, test_labels = make_pairs(test_split.images, test_split.labels, max(1000, config.pairs // 15), config.seed + 1)
    x_test, y_test = to_tensor(test_crops), torch.from_numpy(test_labels)

    model = PairNet()
    n = len(x_train)
    steps_per_epoch = math.ceil(n / config.batch_size)
    optimizer, schedule = one_cycle(model.parameters(), config.lr, config.weight_decay, config.epochs * steps_per_epoch)
    epochs = BestEpoch("test_pair_accuracy")
    started = time.monotonic()
    with progress_bar() as progress:
        task = progress.add_task("training pairs", total=config.epochs * steps_per_epoch, stats="", visible=show_progress)
        for epoch in range(1, config.epochs + 1):
            model.train()
            order = torch.randperm(n, generator=gen)
            loss_sum = 0.0
            for step, start in enumerate(range(0, n, config.batch_size)):
                idx = order[start:start + config.batch_size]
                loss = pair_loss(model(augment_pairs(x_train[idx], gen)), y_train[idx],
                                 config.label_smoothing, config.negative_weight)
                descend(loss, optimizer, schedule)
                loss_sum += loss.item() * len(idx)
                if step % 20 == 0:
                    progress.update(task, stats=f"epoch {epoch}/{config.epochs} loss {loss_sum / (start + len(idx)):.4f}")
                progress.advance(task)
            right, unsure = pair_accuracy(model, x_test, y_test)
            record = {"epoch": epoch, "loss": loss_sum / n, "test_pair_accuracy": right,
                      "not_pair_confidence": unsure, "seconds": round(time.monotonic() - started, 1)}
            progress.console.print(f"epoch {epoch:2d}: loss {record['loss']:.4f}  test pairs right {right:.4f}  "
                                   f"not-a-pair confidence {unsure:.3f}  ({record['seconds']:.0f} s)")
            epochs.add(record, model)
    return epochs.best_model(model)


def pair_recipe(config: PairConfig) -> dict:
    """What went into a pair model, for its metadata file."""
    return {**asdict(config), "optimizer": "AdamW + OneCycle", "augmentation": "pen skips, affine, stroke width, blur, noise",
            "not_pairs": "wide single digits, three digits, a digit with a piece of another; trained towards equal scores"}
