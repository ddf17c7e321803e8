"""The gunicorn settings file that the image and the benchmark's server read."""

import gc
import runpy
from pathlib import Path

CONF = Path(__file__).resolve().parents[2] / "gunicorn.conf.py"


def test_a_worker_freezes_what_it_loaded_out_of_the_garbage_collectors_way():
    hooks = runpy.run_path(str(CONF))
    gc.unfreeze()
    try:
        hooks["post_worker_init"](worker=None)
        assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()
