"""Issue 9, item 8: one embedded worker per state directory."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

from company import build


def test_second_glemsel_run_on_one_state_dir_is_refused(tmp_path: Path) -> None:
    config, _ = build(tmp_path / "w")
    env = {**os.environ, "GLEMSEL_CONFIG": str(config)}
    cmd = [sys.executable, "-m", "glemsel.pipeline", "run"]
    first = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        lock = tmp_path / "w" / "state" / "worker.lock"
        deadline = time.monotonic() + 60
        while not (lock.exists() and lock.read_text().strip()) and time.monotonic() < deadline:
            assert first.poll() is None, first.stderr.read().decode() if first.stderr else ""
            time.sleep(0.1)
        assert lock.read_text().strip() == str(first.pid)
        second = subprocess.run(
            [*cmd, "--until-idle"], env=env, capture_output=True, text=True, timeout=120
        )
        assert second.returncode == 1
        message = second.stderr.strip()
        assert len(message.splitlines()) == 1, message
        assert "another glemsel worker" in message and str(first.pid) in message
    finally:
        first.terminate()
        first.wait(timeout=30)
    # Once the first is gone, a worker starts normally.
    again = subprocess.run(
        [*cmd, "--until-idle"], env=env, capture_output=True, text=True, timeout=120
    )
    assert again.returncode == 0, again.stderr
