"""One module per ``digitocr`` subcommand; none imports torch at module level (reading must stay fast)."""
