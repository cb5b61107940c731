#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
#
# The peer for `whetstone-cli bench tokenize`: Hugging Face tokenizers (Rust)
# encoding the same text, paragraph by paragraph, on one thread.  Used by
# `make bench` when the Python packages are installed; never by the tests.
#
#   bench-tokenize-peer.py MODEL [FILE]
#
# MODEL is a tokenizer.json, a folder holding one, or a .gguf file (read
# through transformers' GGUF support).

import glob
import json
import os
import sys
import time

os.environ.setdefault("RAYON_NUM_THREADS", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

try:
    from tokenizers import Tokenizer
except ImportError:
    print(json.dumps({"skipped": "the tokenizers Python package is not installed"}))
    sys.exit(0)


def gguf_strings(reader, key):
    field = reader.fields[key]
    return [bytes(field.parts[i]).decode("utf-8") for i in field.data]


def load_gguf(model):
    # A byte-level GPT-2-style vocabulary, rebuilt as the tokenizer.json it
    # came from, so that the peer encodes with the same vocabulary and merges.
    from gguf import GGUFReader
    reader = GGUFReader(model)
    kind = gguf_strings(reader, "tokenizer.ggml.model")
    if kind != ["gpt2"] and bytes(reader.fields["tokenizer.ggml.model"].parts[-1]).decode() != "gpt2":
        raise ValueError("only byte-level (gpt2) GGUF vocabularies are rebuilt for the peer")
    pre = bytes(reader.fields["tokenizer.ggml.pre"].parts[-1]).decode()
    if pre not in ("gpt-2", "gpt2"):
        raise ValueError(f"the pre-tokenizer {pre!r} is not rebuilt for the peer")
    tokens = gguf_strings(reader, "tokenizer.ggml.tokens")
    merges = gguf_strings(reader, "tokenizer.ggml.merges")
    spec = {
        "version": "1.0",
        "model": {"type": "BPE", "vocab": {t: i for i, t in enumerate(tokens)},
                  "merges": merges, "dropout": None, "unk_token": None,
                  "continuing_subword_prefix": None, "end_of_word_suffix": None,
                  "fuse_unk": False, "byte_fallback": False, "ignore_merges": False},
        "pre_tokenizer": {"type": "ByteLevel", "add_prefix_space": False,
                          "trim_offsets": True, "use_regex": True},
        "decoder": {"type": "ByteLevel", "add_prefix_space": False,
                    "trim_offsets": True, "use_regex": True},
    }
    return Tokenizer.from_str(json.dumps(spec))


def load(model):
    if model.endswith(".gguf"):
        return load_gguf(model)
    if os.path.isdir(model):
        model = os.path.join(model, "tokenizer.json")
    return Tokenizer.from_file(model)


def corpus(path):
    if path:
        with open(path, encoding="utf-8") as f:
            return f.read()
    parts = []
    for name in sorted(glob.glob("/usr/share/common-licenses/*")):
        if os.path.islink(name) or not os.path.isfile(name):
            continue
        try:
            with open(name, encoding="utf-8", newline="") as f:
                parts.append(f.read() + "\n\n")
        except UnicodeDecodeError:
            continue
    return "".join(parts)


def main():
    model = sys.argv[1]
    text = corpus(sys.argv[2] if len(sys.argv) > 2 else None)
    paragraphs = [p for p in text.split("\n\n") if p]
    try:
        tok = load(model)
    except Exception as e:  # a peer that cannot read the file is skipped
        print(json.dumps({"skipped": f"{type(e).__name__}: {e}"}))
        return
    megabytes = len(text.encode("utf-8")) / 1e6

    def one_pass():
        start = time.perf_counter()
        for p in paragraphs:
            tok.encode(p, add_special_tokens=False)
        return time.perf_counter() - start

    first = one_pass()
    steady = min(one_pass() for _ in range(5))
    print(json.dumps({"first_pass_mb_per_s": megabytes / first,
                      "steady_mb_per_s": megabytes / steady}))


main()
