"""The benchmark rewrites its own sections of RESULTS.md and keeps the hand-written ones below them."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "bench.py"


def _bench():
    spec = importlib.util.spec_from_file_location("bench_script", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def test_a_new_run_keeps_the_hand_written_sections():
    previous = (
        "# Frontline benchmark results\n\nMeasured then.\n\n## Machine\n\n- old\n\n## Results\n\n| old |\n\n"
        "## What is measured\n\n- old\n\n## Issue 21: before and after\n\nA comparison.\n\n"
        "## Figures behind design choices in the code\n\n- a figure\n"
    )
    kept = _bench().kept_sections(previous)
    assert kept.startswith("\n## Issue 21: before and after\n")
    assert kept.endswith("## Figures behind design choices in the code\n\n- a figure\n")
    assert "| old |" not in kept and "- old" not in kept


def test_a_file_of_generated_sections_only_keeps_nothing():
    assert _bench().kept_sections("# Frontline benchmark results\n\n## Machine\n\n## Results\n") == ""
