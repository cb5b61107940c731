#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Build the weight-format fixtures for Whetstone's dequantisation kernels.

Run from the repository root:

    python3 tests/reference/quants/make-fixtures.py          # (re)build
    python3 tests/reference/quants/make-fixtures.py --check  # verify only

For every weight type Whetstone reads, this writes <type>.bin holding, one
after the other:

  source    (rows, cols) float32 LE   the data that was quantised (absent
                                      where the blocks are random bytes)
  quant     (rows, row_bytes) uint8   the blocks, as a GGUF file stores them
  expected  (rows, cols) float32 LE   gguf.quants.dequantize() of the blocks

and fixtures.json with the shapes and byte offsets.  The oracle is the `gguf`
Python package (llama.cpp's gguf-py), written independently of Whetstone's C
reference.  Where gguf-py cannot quantise a type (q4_K and q6_K), the blocks
are random but valid bytes: scales d/dmin drawn as float16 of sensible size,
every other byte uniform.  The package's dequantize() still gives the floats.

--check rebuilds everything in memory and compares it byte for byte with the
committed files; it writes nothing.
"""

import hashlib
import importlib.metadata
import json
import os
import sys

import numpy as np

import gguf
from gguf import GGMLQuantizationType as T
from gguf.quants import dequantize, quantize

HERE = os.path.dirname(os.path.abspath(__file__))
SEED = 20260114
EXPECTED_GGUF = "0.19.0"

# name, type, rows, cols
TYPES = [
    ("f32", T.F32, 2, 64),
    ("f16", T.F16, 2, 64),
    ("bf16", T.BF16, 2, 64),
    ("q8_0", T.Q8_0, 2, 64),
    ("q4_0", T.Q4_0, 2, 64),
    ("q4_K", T.Q4_K, 2, 512),
    ("q6_K", T.Q6_K, 2, 512),
]


def f32_bits(u):
    return np.array([u], dtype=np.uint32).view(np.float32)[0]


# Values that exercise the edges of the float conversions: signed zeros,
# infinities, NaN, the largest finite values and what rounds past them,
# subnormals of the target format, values that vanish, and exact ties
# (round to nearest even).
F16_SPECIALS = [
    0.0, -0.0, np.inf, -np.inf, np.nan, -np.nan,
    65504.0, -65504.0, 65519.99, 65520.0, 1e6,
    2.0 ** -14, 2.0 ** -24, -2.0 ** -24, 2.0 ** -25, 1.5 * 2.0 ** -24,
    2.5 * 2.0 ** -24, 3e-8, 1e-10, -2.0 ** -20, 1023.0 * 2.0 ** -24,
    1.0 + 2.0 ** -11, 1.0 + 3.0 * 2.0 ** -11, 2049.0, 2051.0, 0.1, -1.0 / 3.0,
]
BF16_SPECIALS = [
    0.0, -0.0, np.inf, -np.inf, np.nan, f32_bits(0x7F800001), f32_bits(0xFFA00000),
    f32_bits(0x7F7FFFFF), f32_bits(0x7F7F7FFF), f32_bits(0x00000001), f32_bits(0x80400000),
    1.0 + 2.0 ** -8, 1.0 + 3.0 * 2.0 ** -8, 1.0 + 2.0 ** -8 + 2.0 ** -20,
    np.finfo(np.float32).tiny, 0.1, -1.0 / 3.0,
]


def make_source(rng, name, rows, cols):
    data = (rng.standard_normal((rows, cols)) * 0.5).astype(np.float32)
    if name in ("q8_0", "q4_0"):
        data[1, :32] = 0.0                 # a block of zeros: d = 0
        data[1, 32:64] *= np.float32(1e3)  # a block of large values
    specials = {"f16": F16_SPECIALS, "bf16": BF16_SPECIALS, "f32": F16_SPECIALS + BF16_SPECIALS}
    if name in specials:
        flat = data.reshape(-1)
        values = np.array(specials[name], dtype=np.float32)
        flat[: len(values)] = values
    return data


def random_k_blocks(rng, qtype, n_blocks):
    """Random but valid q4_K / q6_K blocks (gguf-py cannot quantise these)."""
    block_elems, block_bytes = gguf.GGML_QUANT_SIZES[qtype]
    assert block_elems == 256
    blocks = rng.integers(0, 256, size=(n_blocks, block_bytes), dtype=np.uint8)
    if qtype == T.Q4_K:
        # d, dmin: float16 at bytes 0 and 2; the 12 scale bytes and the 128
        # nibble bytes are valid whatever their value.
        d = rng.uniform(1e-4, 2e-2, size=n_blocks).astype(np.float16)
        dmin = rng.uniform(1e-4, 2e-2, size=n_blocks).astype(np.float16)
        blocks[:, 0:2] = d.reshape(-1, 1).view(np.uint8)
        blocks[:, 2:4] = dmin.reshape(-1, 1).view(np.uint8)
    elif qtype == T.Q6_K:
        # d: float16 at byte 208; ql, qh and the int8 scales are any bytes.
        d = (rng.uniform(1e-4, 2e-3, size=n_blocks) * rng.choice([-1, 1], size=n_blocks)).astype(np.float16)
        blocks[:, 208:210] = d.reshape(-1, 1).view(np.uint8)
    else:
        raise ValueError(qtype)
    return blocks


def build():
    """Returns {file name: bytes} for every fixture and fixtures.json."""
    rng = np.random.default_rng(SEED)
    files = {}
    entries = []

    for name, qtype, rows, cols in TYPES:
        block_elems, block_bytes = gguf.GGML_QUANT_SIZES[qtype]
        row_bytes = cols // block_elems * block_bytes
        source = make_source(rng, name, rows, cols)
        try:
            with np.errstate(over="ignore", invalid="ignore"):
                quant = quantize(source, qtype)
            origin = "gguf.quants.quantize"
        except NotImplementedError:
            source = None
            quant = random_k_blocks(rng, qtype, rows * cols // block_elems)
            origin = "random blocks"
        quant = np.ascontiguousarray(quant).view(np.uint8).reshape(rows, row_bytes)
        expected = np.asarray(dequantize(quant, qtype), dtype=np.float32).reshape(rows, cols)

        parts = []
        offset = 0
        entry = {
            "name": name,
            "ggml_type": int(qtype),
            "rows": rows,
            "cols": cols,
            "row_bytes": row_bytes,
            "blocks_from": origin,
            "file": name + ".bin",
        }
        for key, array in (("source", source), ("quant", quant), ("expected", expected)):
            if array is None:
                continue
            raw = array.astype("<f4").tobytes() if array.dtype == np.float32 else array.tobytes()
            entry[key + "_offset"] = offset
            entry[key + "_bytes"] = len(raw)
            parts.append(raw)
            offset += len(raw)
        data = b"".join(parts)
        entry["sha256"] = hashlib.sha256(data).hexdigest()
        files[entry["file"]] = data
        entries.append(entry)

    meta = {
        "generator": "tests/reference/quants/make-fixtures.py",
        "gguf": importlib.metadata.version("gguf"),
        "numpy": np.__version__,
        "seed": SEED,
        "types": entries,
    }
    files["fixtures.json"] = (json.dumps(meta, indent=2) + "\n").encode()
    return files


def main():
    check = "--check" in sys.argv[1:]
    version = importlib.metadata.version("gguf")
    if version != EXPECTED_GGUF:
        print(f"warning: gguf {version}, fixtures were made with {EXPECTED_GGUF}", file=sys.stderr)

    files = build()
    failed = False
    for name, data in files.items():
        path = os.path.join(HERE, name)
        if check:
            try:
                with open(path, "rb") as f:
                    same = f.read() == data
            except FileNotFoundError:
                same = False
            if not same:
                print(f"{name}: differs from a fresh build", file=sys.stderr)
                failed = True
        else:
            with open(path, "wb") as f:
                f.write(data)

    total = sum(len(d) for d in files.values())
    print(f"{'checked' if check else 'wrote'} {len(files)} files, {total} bytes")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
