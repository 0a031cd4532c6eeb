"""radar: a command-line literature radar for arXiv."""

__version__ = "0.1.0"
