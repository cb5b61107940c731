#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Turns the demo corpus into the demo model's pretraining conversations.

The corpus (make-corpus.py) holds short stories as plain text and short chats.
The demo model is a chat model from the start, so every story becomes an
assistant turn answering a request for a story, and consecutive examples are
joined into multi-turn conversations of up to about --max-tokens tokens, so
the model sees every position up to its context length, and follow-up turns.
Standard library only; the same seed gives the same files.
"""

import argparse
import json
import random

# How people ask for a story; the corpus's own story requests come on top.
REQUESTS = [
    "Tell me a story.",
    "Tell me a short story.",
    "Can you tell me a story?",
    "Please tell me a story.",
    "I would like a story.",
    "Tell me another story.",
    "One more story, please.",
    "Write a short story for me.",
    "Can you write a little story?",
    "Tell me a bedtime story.",
]

BYTES_PER_TOKEN = 3.9   # measured on the corpus with its tokenizer (README.md)

# A system prompt this long describes a product or a database (the second
# stage's domain chats): the conversation is about it, and is kept alone.
LONG_SYSTEM = 300


def turns_of(example, rng):
    if "text" in example:
        return [{"role": "user", "content": rng.choice(REQUESTS)},
                {"role": "assistant", "content": example["text"]}]
    return [m for m in example["messages"] if m["role"] != "system"]


def system_of(example):
    for m in example.get("messages", []):
        if m["role"] == "system":
            return m["content"]
    return None


def standalone(example):
    system = system_of(example)
    return system is not None and len(system) > LONG_SYSTEM


def convert(src, dst, max_tokens, seed):
    rng = random.Random(seed)
    with open(src, encoding="utf-8") as f:
        examples = [json.loads(line) for line in f if line.strip()]
    out = []
    i = 0
    while i < len(examples):
        if standalone(examples[i]):
            out.append({"messages": examples[i]["messages"]})
            i += 1
            continue
        # Lengths vary so that short and long conversations both occur.
        budget = rng.randint(max_tokens // 8, max_tokens) * BYTES_PER_TOKEN
        messages = []
        system = system_of(examples[i])
        if system is not None:
            messages.append({"role": "system", "content": system})
        size = 0
        while i < len(examples) and not standalone(examples[i]):
            turns = turns_of(examples[i], rng)
            extra = sum(len(t["content"]) + 16 for t in turns)
            if messages and size + extra > budget:
                break
            messages.extend(turns)
            size += extra
            i += 1
        out.append({"messages": messages})
    with open(dst, "w", encoding="utf-8") as f:
        for conv in out:
            f.write(json.dumps(conv, ensure_ascii=False) + "\n")
    return len(examples), len(out)


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--corpus", required=True, help="folder with train.jsonl and val.jsonl")
    parser.add_argument("--out", required=True, help="folder for the pretraining train.jsonl and val.jsonl")
    parser.add_argument("--max-tokens", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=8)
    args = parser.parse_args()

    import os
    os.makedirs(args.out, exist_ok=True)
    for name in ("train.jsonl", "val.jsonl"):
        n_in, n_out = convert(os.path.join(args.corpus, name), os.path.join(args.out, name),
                              args.max_tokens, args.seed)
        print(f"{name}: {n_in} examples -> {n_out} conversations")


if __name__ == "__main__":
    main()
