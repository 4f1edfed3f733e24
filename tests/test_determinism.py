"""Every command's output is the same bytes in every process, whatever Python's hash seed.

experta hands activations and facts over in set order, which changes with PYTHONHASHSEED; an
engine without the repeatable strategy (the outlook's, once) then concludes in another order,
and an auditor's replay or a diff of two runs shows changes that are not there. Seeds 1 and 2
gave different outlooks of Chip 4 before the outlook engine took the strategy.
"""

import os
import subprocess
import sys
from pathlib import Path

import pytest

COALITION = str(Path(sys.executable).with_name("coalition"))
SEEDS = ("1", "2")

COMMANDS = [
    "ask south-korea chip4 --format json --trace",
    "list --format json",
    "rules --format json",
    "rules coverage --format json",
    "rules verdicts --format json",
    "trace south-korea chip4",
    "why south-korea chip4 verdict --format json",
    "whatif south-korea chip4 --set industries.semiconductors.reliance.united-states.level=moderate"
    " --format json",
    "flips south-korea chip4 --format json",
    "matrix --format json",
    "outlook chip4 --format json",
    "timeline south-korea chip4 --format json",
    "backtest --format json",
    "map chip4",
    "memo south-korea chip4 --date 2026-01-01",
    "memo south-korea chip4 --date 2026-01-01 --format html",
]


@pytest.fixture(scope="module")
def outputs(tmp_path_factory):
    """Every command under every seed, run two at a time (the suite's machines have 2 cores).

    Each seed has a cache directory of its own: answers cached under one seed and read under
    the other would make the batch commands agree whatever the seed did."""
    env_base = {k: v for k, v in os.environ.items() if k != "PYTHONHASHSEED"}
    env = {seed: {**env_base, "PYTHONHASHSEED": seed,
                  "XDG_CACHE_HOME": str(tmp_path_factory.mktemp(f"cache-seed-{seed}"))}
           for seed in SEEDS}
    runs = [(command, seed) for command in COMMANDS for seed in SEEDS]
    results = {}
    for start in range(0, len(runs), 2):
        batch = [(key, subprocess.Popen([COALITION, *key[0].split()], env=env[key[1]],
                                        stdout=subprocess.PIPE, stderr=subprocess.PIPE))
                 for key in runs[start:start + 2]]
        for key, process in batch:
            out, err = process.communicate()
            results[key] = (process.returncode, out, err)
    return results


@pytest.mark.parametrize("command", COMMANDS)
def test_output_is_the_same_under_every_hash_seed(outputs, command):
    first = outputs[(command, SEEDS[0])]
    assert first[0] == 0, first[2].decode()
    assert first[1], "the command printed nothing"
    for seed in SEEDS[1:]:
        assert outputs[(command, seed)] == first, f"PYTHONHASHSEED={seed} differs from {SEEDS[0]}"
