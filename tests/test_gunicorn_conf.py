"""The shipped gunicorn settings: workers keep start-up objects out of the garbage collector's walks;
the metrics folder of multiprocess mode is emptied at start and dead workers leave the live gauges."""
from __future__ import annotations

import gc
import runpy
from pathlib import Path

CONF = Path(__file__).resolve().parent.parent / "gunicorn.conf.py"


def test_worker_init_freezes_what_start_up_built():
    settings = runpy.run_path(str(CONF))
    gc.unfreeze()
    assert gc.get_freeze_count() == 0
    try:
        settings["post_worker_init"](worker=None)
        assert gc.get_freeze_count() > 1000
    finally:
        gc.unfreeze()


def test_start_empties_the_metrics_folder_of_an_earlier_run(tmp_path, monkeypatch):
    folder = tmp_path / "metrics"
    folder.mkdir()
    (folder / "counter_123.db").write_bytes(b"old")
    (folder / "keep.txt").write_text("not ours")
    monkeypatch.setenv("PROMETHEUS_MULTIPROC_DIR", str(folder))
    runpy.run_path(str(CONF))["on_starting"](server=None)
    assert sorted(p.name for p in folder.iterdir()) == ["keep.txt"]


def test_an_exited_worker_leaves_the_live_gauges(tmp_path, monkeypatch):
    monkeypatch.setenv("PROMETHEUS_MULTIPROC_DIR", str(tmp_path))
    (tmp_path / "gauge_livesum_4242.db").write_bytes(b"x")
    (tmp_path / "counter_4242.db").write_bytes(b"x")  # counters of a dead worker still count
    worker = type("Worker", (), {"pid": 4242})()
    runpy.run_path(str(CONF))["child_exit"](server=None, worker=worker)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["counter_4242.db"]


def test_without_the_metrics_folder_the_hooks_do_nothing(monkeypatch):
    monkeypatch.delenv("PROMETHEUS_MULTIPROC_DIR", raising=False)
    settings = runpy.run_path(str(CONF))
    settings["on_starting"](server=None)
    settings["child_exit"](server=None, worker=type("Worker", (), {"pid": 1})())
