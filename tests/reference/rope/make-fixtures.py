#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Build the rotary-frequency fixtures for wh_model_config_rope_inv_freq().

Run from the repository root:

    python3 tests/reference/rope/make-fixtures.py          # (re)build
    python3 tests/reference/rope/make-fixtures.py --check  # verify only

For each config below (written as config.json would hold it), this asks
transformers for the inverse frequencies, through the function that its
models call: ROPE_INIT_FUNCTIONS[rope_type](config, "cpu").  It does so
twice:

  inv_freq       with ATEN_CPU_CAPABILITY=default: PyTorch's scalar CPU
                 kernels, whose power is the C library's powf().
  inv_freq_simd  with the machine's own kernels (AVX2 / AVX-512 here),
                 whose power is SLEEF's powf (1-ULP bound), recorded with
                 the capability used.

and writes inv_freq.json.  test-model-config writes each config to a
config.json, loads it and compares its frequencies with both lists.
"""

import importlib.metadata
import json
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
OUTPUT = os.path.join(HERE, "inv_freq.json")

# The capability must be chosen before torch is imported.
if "--simd" not in sys.argv:
    os.environ["ATEN_CPU_CAPABILITY"] = "default"

import numpy as np  # noqa: E402
import torch  # noqa: E402
from transformers import LlamaConfig, MistralConfig, Qwen2Config  # noqa: E402
from transformers.modeling_rope_utils import ROPE_INIT_FUNCTIONS  # noqa: E402


def llama(**kw):
    config = {
        "architectures": ["LlamaForCausalLM"],
        "model_type": "llama",
        "vocab_size": 32000,
        "intermediate_size": 5632,
        "num_hidden_layers": 2,
        "max_position_embeddings": 2048,
        "rms_norm_eps": 1e-5,
    }
    config.update(kw)
    return config


CASES = [
    # stories260K: head_dim 8.
    ("stories260K", llama(vocab_size=512, hidden_size=64, intermediate_size=172, num_attention_heads=8,
                          num_key_value_heads=4, max_position_embeddings=512, rope_theta=10000.0)),
    # TinyLlama-1.1B: head_dim 64, GQA.
    ("tinyllama", llama(hidden_size=2048, num_attention_heads=32, num_key_value_heads=4, rope_theta=10000.0)),
    # Qwen2-0.5B: head_dim 64, rope_theta 1e6.
    ("qwen2", {
        "architectures": ["Qwen2ForCausalLM"], "model_type": "qwen2", "vocab_size": 151936,
        "hidden_size": 896, "intermediate_size": 4864, "num_hidden_layers": 2, "num_attention_heads": 14,
        "num_key_value_heads": 2, "max_position_embeddings": 32768, "rms_norm_eps": 1e-6,
        "rope_theta": 1000000.0, "tie_word_embeddings": True}),
    # Mistral-Nemo-12B: head_dim 128 given apart from hidden_size / heads
    # (160); one of its powers differs between PyTorch's scalar and SIMD
    # kernels.
    ("mistral-nemo", {
        "architectures": ["MistralForCausalLM"], "model_type": "mistral", "vocab_size": 131072,
        "hidden_size": 5120, "intermediate_size": 14336, "num_hidden_layers": 2, "num_attention_heads": 32,
        "num_key_value_heads": 8, "head_dim": 128, "max_position_embeddings": 1024000, "rms_norm_eps": 1e-5,
        "rope_theta": 1000000.0}),
    # Linear scaling (rope_scaling in the old "type" spelling).
    ("linear", llama(hidden_size=4096, num_attention_heads=32, rope_theta=10000.0,
                     max_position_embeddings=16384, rope_scaling={"type": "linear", "factor": 4.0})),
    # Llama 3.1 8B: head_dim 128, llama3 scaling.
    ("llama3.1", llama(vocab_size=128256, hidden_size=4096, num_attention_heads=32, num_key_value_heads=8,
                       max_position_embeddings=131072, rope_theta=500000.0,
                       rope_scaling={"rope_type": "llama3", "factor": 8.0, "low_freq_factor": 1.0,
                                     "high_freq_factor": 4.0, "original_max_position_embeddings": 8192})),
    # Llama 3.2 1B: head_dim 64, llama3 scaling with factor 32.
    ("llama3.2", llama(vocab_size=128256, hidden_size=2048, num_attention_heads=32, num_key_value_heads=8,
                       head_dim=64, max_position_embeddings=131072, rope_theta=500000.0,
                       tie_word_embeddings=True,
                       rope_scaling={"rope_type": "llama3", "factor": 32.0, "low_freq_factor": 1.0,
                                     "high_freq_factor": 4.0, "original_max_position_embeddings": 8192})),
]

CONFIG_CLASSES = {"llama": LlamaConfig, "mistral": MistralConfig, "qwen2": Qwen2Config}


def inv_freq(config_dict):
    kw = {k: v for k, v in config_dict.items() if k not in ("architectures", "model_type")}
    config = CONFIG_CLASSES[config_dict["model_type"]](**kw)
    scaling = getattr(config, "rope_scaling", None) or {}
    rope_type = scaling.get("rope_type", scaling.get("type", "default"))
    values, _ = ROPE_INIT_FUNCTIONS[rope_type](config, "cpu")
    assert values.dtype == torch.float32
    return [float(v) for v in values.tolist()]


def compute():
    return {name: inv_freq(config) for name, config in CASES}


def max_ulps(a, b):
    a = np.array(a, dtype=np.float32).view(np.int32).astype(np.int64)
    b = np.array(b, dtype=np.float32).view(np.int32).astype(np.int64)
    return int(np.max(np.abs(a - b))) if len(a) else 0


def build():
    scalar = compute()
    scalar_capability = torch.backends.cpu.get_cpu_capability()
    child = subprocess.run([sys.executable, os.path.abspath(__file__), "--simd"],
                           check=True, capture_output=True, text=True,
                           env={k: v for k, v in os.environ.items() if k != "ATEN_CPU_CAPABILITY"})
    simd = json.loads(child.stdout)

    cases = []
    for name, config in CASES:
        a, b = scalar[name], simd["values"][name]
        cases.append({
            "name": name,
            "config": config,
            "inv_freq": a,
            "inv_freq_simd": b,
            "simd_differences": sum(x != y for x, y in zip(a, b)),
            "simd_max_ulps": max_ulps(a, b),
        })

    return {
        "generator": "tests/reference/rope/make-fixtures.py",
        "transformers": importlib.metadata.version("transformers"),
        "torch": torch.__version__,
        "scalar_capability": scalar_capability,
        "simd_capability": simd["capability"],
        "cases": cases,
    }


def main():
    if "--simd" in sys.argv:
        json.dump({"capability": torch.backends.cpu.get_cpu_capability(), "values": compute()}, sys.stdout)
        return 0

    data = build()
    text = json.dumps(data, indent=1) + "\n"

    for case in data["cases"]:
        print(f"{case['name']:18} {len(case['inv_freq']):4} values; {data['simd_capability']} kernels differ in "
              f"{case['simd_differences']} (at most {case['simd_max_ulps']} ULP)")

    if "--check" in sys.argv:
        with open(OUTPUT) as f:
            committed = json.load(f)
        if committed["cases"] != data["cases"]:
            print("inv_freq.json differs from what this machine computes", file=sys.stderr)
            return 1
        print("inv_freq.json matches")
        return 0

    with open(OUTPUT, "w") as f:
        f.write(text)
    print(f"wrote {os.path.relpath(OUTPUT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
