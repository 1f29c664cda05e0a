"""The digit CNN: 28×28 grayscale crop (white ink on black, values in [0, 1]) → 10 class scores.

Five 3×3 conv layers with batch norm; two of them stride 2 instead of pooling, and global average
pooling instead of a large dense layer, so a crop costs about 8.3 M multiply-adds and the whole
model holds about 105 k parameters: OpenCV's DNN module reads over 3,000 crops/s on 2 cores. MNIST normalisation happens inside ``forward`` so that the
exported ONNX graph takes raw [0, 1] pixels.

The pair CNN (PairNet) reads two touching digits from a 28×56 crop with the same layers and one more.
"""
from __future__ import annotations

import torch
from torch import nn

MNIST_MEAN, MNIST_STD = 0.1307, 0.3081
NUM_CLASSES = 10


def conv_bn(c_in: int, c_out: int, stride: int = 1) -> list[nn.Module]:
    return [nn.Conv2d(c_in, c_out, 3, stride, 1, bias=False), nn.BatchNorm2d(c_out), nn.ReLU(inplace=True)]


def features(*widths_and_strides: tuple[int, int]) -> list[nn.Module]:
    """3×3 conv layers with batch norm, from one gray channel: (out channels, stride) per layer."""
    layers, c_in = [], 1
    for c_out, stride in widths_and_strides:
        layers += conv_bn(c_in, c_out, stride)
        c_in = c_out
    return layers


class ConvNet(nn.Module):
    """Conv ``features`` and a linear ``head``, on raw [0, 1] pixels."""
    features: nn.Sequential
    head: nn.Linear

    def __init__(self, dropout: float):
        super().__init__()
        self.dropout = nn.Dropout(dropout)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = (x - MNIST_MEAN) / MNIST_STD
        return self.head(self.dropout(self.features(x)))


class DigitNet(ConvNet):
    input_size = (28, 28)

    def __init__(self, num_classes: int = NUM_CLASSES, dropout: float = 0.2):
        super().__init__(dropout)
        self.features = nn.Sequential(
            *features((24, 1), (32, 2), (48, 1), (64, 2), (96, 1)),  # 28×28 → 14×14 → 7×7
            nn.AdaptiveAvgPool2d(1),
            nn.Flatten(),
        )
        self.head = nn.Linear(96, num_classes)


class PairNet(ConvNet):
    """Two touching digits: 28×56 crop (as DigitNet's input) → 20 scores, the left digit's ten
    then the right digit's ten.

    Global pooling would forget which digit stands where, so the last feature map keeps its
    columns: each head sees the features of the whole width, left to right."""
    input_size = (28, 56)

    def __init__(self, dropout: float = 0.2):
        super().__init__(dropout)
        self.features = nn.Sequential(
            *features((24, 1), (32, 2), (48, 1), (64, 2), (96, 1), (128, 2)),  # 28×56 → 14×28 → 7×14 → 4×7
            nn.AdaptiveAvgPool2d((1, 7)),
            nn.Flatten(),
        )
        self.head = nn.Linear(128 * 7, 2 * NUM_CLASSES)


def count_params(model: nn.Module) -> int:
    return sum(p.numel() for p in model.parameters())


def count_macs(model: nn.Module) -> int:
    """Multiply-adds of one forward pass on a single crop (conv and linear layers)."""
    macs = 0

    def hook(module, _inputs, output):
        nonlocal macs
        if isinstance(module, nn.Conv2d):
            k = module.kernel_size[0] * module.kernel_size[1] * module.in_channels // module.groups
            macs += output.numel() * k
        elif isinstance(module, nn.Linear):
            macs += module.in_features * module.out_features

    handles = [m.register_forward_hook(hook) for m in model.modules() if isinstance(m, (nn.Conv2d, nn.Linear))]
    was_training = model.training
    model.eval()
    with torch.no_grad():
        model(torch.zeros(1, 1, *model.input_size))
    model.train(was_training)
    for h in handles:
        h.remove()
    return macs
