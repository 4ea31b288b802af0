"""What a newcomer sees while `make run` sets up: the Python install named and pip's own progress, not two
silent minutes (issue 11, finding 16). Read from make's dry run, which runs nothing."""

import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def dry_run(target):
    """The commands `make` would run for `target` from scratch, one a line."""
    if shutil.which("make") is None:
        pytest.skip("make is not installed here")
    done = subprocess.run(["make", "-n", "-B", target], cwd=ROOT, capture_output=True, text=True, check=True, timeout=60)
    return done.stdout.splitlines()


def test_make_run_names_the_python_install_and_lets_pip_show_its_progress():
    lines = dry_run("setup")
    [install] = [n for n, line in enumerate(lines) if "pip install" in line and line.rstrip().endswith("-e .")]
    assert any("installing the Python packages" in line for line in lines[:install])
    assert "--quiet" not in lines[install] and "--progress-bar on" in lines[install]
    assert any("Python packages installed" in line for line in lines[install:])
