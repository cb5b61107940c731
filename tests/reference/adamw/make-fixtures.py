#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Build the optimizer fixtures for Whetstone's AdamW and gradient clipping.

Run from the repository root:

    python3 tests/reference/adamw/make-fixtures.py          # (re)build
    python3 tests/reference/adamw/make-fixtures.py --check  # verify only

Three parameter tensors take five steps of

    torch.nn.utils.clip_grad_norm_(params, MAX_NORM)
    torch.optim.AdamW(params, lr, betas, eps, weight_decay, foreach=False).step()

on the CPU, with a fixed sequence of gradients.  The gradients are scaled so
that some steps clip and others do not.  adamw.bin holds float32 LE sections
of N = the three tensors' elements, each section the tensors one after the
other (row-major):

  initial param                    (N)
  per step 1..5: grad              (N)  as given, before clipping
                 param             (N)  after the step
                 exp_avg           (N)  optimizer.state[p]["exp_avg"]
                 exp_avg_sq        (N)  optimizer.state[p]["exp_avg_sq"]

fixtures.json has the hyperparameters, the shapes, the byte offset of every
section, and per step the total norm clip_grad_norm_ returned and the clip
coefficient it applied.

--check rebuilds everything in memory and compares it byte for byte with the
committed files; it writes nothing.
"""

import hashlib
import json
import os
import sys

import numpy as np
import torch

HERE = os.path.dirname(os.path.abspath(__file__))
SEED = 20260301
EXPECTED_TORCH = "2.5.1"

SHAPES = [(16, 12), (40,), (8, 9)]
LR = 1e-3
BETAS = (0.9, 0.999)
EPS = 1e-8
WEIGHT_DECAY = 0.01
MAX_NORM = 1.0
# Gradients are normal(0, 1) times these: the total norm of N = 304 such
# values is about 17.4 * scale, so steps 1, 3 and 5 clip and 2 and 4 do not.
GRAD_SCALES = [1.0, 0.02, 0.3, 0.04, 2.0]


def f32(t):
    return t.detach().numpy().astype("<f4").tobytes()


def cat(tensors):
    return torch.cat([t.detach().reshape(-1) for t in tensors])


def build():
    """Returns {file name: bytes} for adamw.bin and fixtures.json."""
    torch.use_deterministic_algorithms(True)
    torch.set_num_threads(1)
    rng = np.random.default_rng(SEED)

    params = [torch.nn.Parameter(torch.from_numpy(rng.standard_normal(s).astype(np.float32)))
              for s in SHAPES]
    grads = [[torch.from_numpy((rng.standard_normal(s) * scale).astype(np.float32)) for s in SHAPES]
             for scale in GRAD_SCALES]
    optimizer = torch.optim.AdamW(params, lr=LR, betas=BETAS, eps=EPS,
                                  weight_decay=WEIGHT_DECAY, foreach=False)

    parts = [f32(cat(params))]
    offset = len(parts[0])
    n = sum(p.numel() for p in params)
    steps = []
    for i, step_grads in enumerate(grads):
        for p, g in zip(params, step_grads):
            p.grad = g.clone()
        total_norm = torch.nn.utils.clip_grad_norm_(params, MAX_NORM)
        # The coefficient clip_grad_norm_ multiplied the gradients by.
        coef = torch.clamp(MAX_NORM / (total_norm + 1e-6), max=1.0)
        optimizer.step()

        entry = {"step": i + 1, "grad_scale": GRAD_SCALES[i],
                 "total_norm": float(total_norm), "clip_coef": float(coef)}
        sections = [
            ("grad", cat(step_grads)),
            ("param", cat(params)),
            ("exp_avg", cat([optimizer.state[p]["exp_avg"] for p in params])),
            ("exp_avg_sq", cat([optimizer.state[p]["exp_avg_sq"] for p in params])),
        ]
        for key, tensor in sections:
            raw = f32(tensor)
            assert len(raw) == 4 * n
            entry[key + "_offset"] = offset
            parts.append(raw)
            offset += len(raw)
        steps.append(entry)

    data = b"".join(parts)
    meta = {
        "generator": "tests/reference/adamw/make-fixtures.py",
        "torch": torch.__version__,
        "numpy": np.__version__,
        "seed": SEED,
        "lr": LR,
        "beta1": BETAS[0],
        "beta2": BETAS[1],
        "eps": EPS,
        "weight_decay": WEIGHT_DECAY,
        "max_norm": MAX_NORM,
        "shapes": [list(s) for s in SHAPES],
        "n": n,
        "file": "adamw.bin",
        "sha256": hashlib.sha256(data).hexdigest(),
        "initial_param_offset": 0,
        "steps": steps,
    }
    return {
        "adamw.bin": data,
        "fixtures.json": (json.dumps(meta, indent=2) + "\n").encode(),
    }


def main():
    check = "--check" in sys.argv[1:]
    if not torch.__version__.startswith(EXPECTED_TORCH):
        print(f"warning: torch {torch.__version__}, fixtures were made with {EXPECTED_TORCH}",
              file=sys.stderr)

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
