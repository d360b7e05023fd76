"""jieba's dictionary kept in small pieces in fieldcase's cache, so that loading it in the
background leaves the UI thread the GIL: it must load exactly what jieba itself builds,
and a stale or damaged cache must be rebuilt, never trusted."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import jieba

from fieldcase.text.units import JIEBA_PIECE, jieba_stamp, read_pieces, write_pieces

PROBE = """
import json, sys
import jieba
from fieldcase.text.units import load_jieba
load_jieba(background=len(sys.argv) > 1)
freq = jieba.dt.FREQ
print(json.dumps({"n": len(freq), "total": jieba.dt.total, "ready": jieba.dt.initialized,
                  "words": jieba.lcut("返乡创业的新乡贤带动村民搞土地流转")}))
"""


def run_probe(cache_dir, *args):
    env = {**os.environ, "FIELDCASE_CACHE_DIR": str(cache_dir)}
    done = subprocess.run([sys.executable, "-c", PROBE, *args], env=env, capture_output=True, text=True, check=True)
    return json.loads(done.stdout)


def test_pieces_round_trip_exactly(tmp_path):
    freq = {f"词{i}": i % 7 for i in range(JIEBA_PIECE * 2 + 17)}
    path = tmp_path / "d.pieces"
    assert write_pieces(path, ["v", 1], freq, 12345)
    assert read_pieces(path, ["v", 1]) == (freq, 12345)
    assert read_pieces(path, ["v", 1], pause=0.0001) == (freq, 12345)
    assert not list(tmp_path.glob("*.partial"))


def test_a_stale_or_damaged_cache_is_not_used(tmp_path):
    freq = {f"w{i}": i for i in range(JIEBA_PIECE + 5)}
    path = tmp_path / "d.pieces"
    write_pieces(path, ["v", 1], freq, 99)
    assert read_pieces(path, ["v", 2]) is None  # another jieba or dictionary
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])  # cut short
    assert read_pieces(path, ["v", 1]) is None
    path.write_bytes(data + b"x")  # something after the last piece
    assert read_pieces(path, ["v", 1]) is None
    path.write_bytes(b"not marshal at all")
    assert read_pieces(path, ["v", 1]) is None
    assert read_pieces(tmp_path / "missing.pieces", ["v", 1]) is None


def test_an_unwritable_cache_is_skipped(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    assert write_pieces(blocker / "sub" / "d.pieces", ["v"], {"a": 1}, 1) is False


def test_load_jieba_builds_the_cache_then_loads_the_same_dictionary(tmp_path):
    with jieba.dt.get_dict_file() as source:
        freq, total = jieba.dt.gen_pfdict(source)
    cache = tmp_path / "cache"
    built = run_probe(cache)
    stored = list(cache.glob("jieba-*.pieces"))
    assert len(stored) == 1
    loaded = run_probe(cache, "background")
    for result in (built, loaded):
        assert result["ready"] and result["n"] == len(freq) and result["total"] == total
    assert built["words"] == loaded["words"] and "村民" in loaded["words"] and "带动" in loaded["words"]
    assert read_pieces(stored[0], jieba_stamp()) == (freq, total)
