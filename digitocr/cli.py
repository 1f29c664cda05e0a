"""The ``digitocr`` command: a click group; each subcommand lives in ``digitocr/commands/``."""
from __future__ import annotations

import click

from .commands.evaluate import evaluate
from .commands.finetune import finetune
from .commands.read import read
from .commands.train import train
from .commands.train_pairs import train_pairs


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="digitocr")
def main() -> None:
    """Read rows of handwritten digits from photos and scans.

    \b
    Quick start:
      digitocr read photo.jpg          one line of digits per row
      digitocr read photo.jpg --table  every digit with its crop and confidence
      digitocr train                   train the digit model on MNIST
      digitocr train-pairs             train the model for two touching digits
    """


main.add_command(read)
main.add_command(evaluate)
main.add_command(train)
main.add_command(train_pairs)
main.add_command(finetune)
