import os

os.environ.setdefault("MPLBACKEND", "Agg")  # charts render off-screen in tests
