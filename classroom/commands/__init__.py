"""One module per runner command (see classroom/cli.py)."""
