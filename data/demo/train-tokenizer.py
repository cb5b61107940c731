#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
#
# train-tokenizer.py: trains the demo model's tokenizer, a GPT-2 style
# byte-level BPE, on the corpus that make-corpus.py writes, and saves it in
# Hugging Face's layout (tokenizer.json, tokenizer_config.json,
# special_tokens_map.json, generation_config.json) with a ChatML chat
# template.  Python 3 standard library only; deterministic.
#
#   python3 data/demo/train-tokenizer.py --corpus _build/demo/train.jsonl --out _build/demo/model

import argparse
import heapq
import json
import os
import re
import sys
import time

SPECIALS = ["<|endoftext|>", "<|im_start|>", "<|im_end|>"]
DEFAULT_SYSTEM = "You are a helpful assistant."

# SmolLM2's template, with our default system prompt.  Whetstone detects it
# as ChatML and reads the default system prompt out of the literal.
CHAT_TEMPLATE = (
    "{% for message in messages %}"
    "{% if loop.first and messages[0]['role'] != 'system' %}"
    "{{ '<|im_start|>system\n" + DEFAULT_SYSTEM + "<|im_end|>\n' }}"
    "{% endif %}"
    "{{'<|im_start|>' + message['role'] + '\n' + message['content'] + '<|im_end|>' + '\n'}}"
    "{% endfor %}"
    "{% if add_generation_prompt %}{{ '<|im_start|>assistant\n' }}{% endif %}"
)

# GPT-2's pre-tokenizer regex.  The standard library's re has no \p{L} or
# \p{N}: [^\W\d_] is a letter, \d a digit, (?:[^\s\w]|_) anything else that
# is not a space.  The same on ASCII text; on other scripts the split may
# differ a little, which only changes which merges are learned, not how the
# saved tokenizer encodes (that is Hugging Face's exact regex).
GPT2_SPLIT = re.compile(
    r"""'s|'t|'re|'ve|'m|'ll|'d| ?[^\W\d_]+| ?\d+| ?(?:[^\s\w]|_)+|\s+(?!\S)|\s+""")

SPECIAL_SPLIT = re.compile("(" + "|".join(re.escape(s) for s in SPECIALS) + ")")


def bytes_to_unicode():
    """GPT-2's map from each byte to a printable character."""
    bs = (list(range(ord("!"), ord("~") + 1)) + list(range(ord("\u00a1"), ord("\u00ac") + 1))
          + list(range(ord("\u00ae"), ord("\u00ff") + 1)))
    cs = bs[:]
    n = 0
    for b in range(256):
        if b not in bs:
            bs.append(b)
            cs.append(256 + n)
            n += 1
    return dict(zip(bs, (chr(c) for c in cs)))


def render_chatml(messages, add_generation_prompt=False):
    """What CHAT_TEMPLATE renders."""
    out = []
    if messages and messages[0]["role"] != "system":
        out.append("<|im_start|>system\n" + DEFAULT_SYSTEM + "<|im_end|>\n")
    for m in messages:
        out.append("<|im_start|>" + m["role"] + "\n" + m["content"] + "<|im_end|>\n")
    if add_generation_prompt:
        out.append("<|im_start|>assistant\n")
    return "".join(out)


def corpus_texts(path):
    """Each example as the model sees it: stories plain, chats rendered."""
    with open(path, encoding="utf-8") as f:
        for line in f:
            obj = json.loads(line)
            if "text" in obj:
                yield obj["text"]
            else:
                yield render_chatml(obj["messages"])


def count_words(paths):
    b2u = bytes_to_unicode()
    counts = {}
    n_bytes = 0
    for path in paths:
        for text in corpus_texts(path):
            for piece in SPECIAL_SPLIT.split(text):
                if piece in SPECIALS or not piece:
                    continue
                for w in GPT2_SPLIT.findall(piece):
                    counts[w] = counts.get(w, 0) + 1
            n_bytes += len(text.encode("utf-8"))
    words = {}
    for w, c in counts.items():
        key = "".join(b2u[b] for b in w.encode("utf-8"))
        words[key] = words.get(key, 0) + c
    return words, n_bytes


def train_bpe(words, vocab_size):
    """Classic BPE on a word-count table, with incremental pair counts and a
    lazy max-heap.  Ties go to the pair that sorts first."""
    b2u = bytes_to_unicode()
    alphabet = sorted(b2u.values())
    vocab = {}
    for s in SPECIALS:
        vocab[s] = len(vocab)
    for ch in alphabet:
        vocab[ch] = len(vocab)

    keys = sorted(words)
    syms = [list(k) for k in keys]
    freq = [words[k] for k in keys]
    pairs = {}
    where = {}
    for i, s in enumerate(syms):
        f = freq[i]
        for a, b in zip(s, s[1:]):
            p = (a, b)
            pairs[p] = pairs.get(p, 0) + f
            where.setdefault(p, set()).add(i)
    heap = [(-c, p) for p, c in pairs.items()]
    heapq.heapify(heap)
    merges = []

    while len(vocab) < vocab_size and heap:
        c, p = heapq.heappop(heap)
        if pairs.get(p, 0) != -c or -c <= 0:
            continue
        a, b = p
        new = a + b
        merges.append(p)
        if new not in vocab:
            vocab[new] = len(vocab)
        changed = set()
        for i in sorted(where.get(p, ())):
            s = syms[i]
            f = freq[i]
            for x, y in zip(s, s[1:]):
                q = (x, y)
                pairs[q] -= f
                changed.add(q)
            out = []
            j = 0
            n = len(s)
            while j < n:
                if j + 1 < n and s[j] == a and s[j + 1] == b:
                    out.append(new)
                    j += 2
                else:
                    out.append(s[j])
                    j += 1
            syms[i] = out
            for x, y in zip(out, out[1:]):
                q = (x, y)
                pairs[q] = pairs.get(q, 0) + f
                where.setdefault(q, set()).add(i)
                changed.add(q)
        where.pop(p, None)
        pairs.pop(p, None)
        changed.discard(p)
        for q in sorted(changed):
            cq = pairs.get(q, 0)
            if cq > 0:
                heapq.heappush(heap, (-cq, q))
            else:
                pairs.pop(q, None)
    return vocab, merges


def added_token(i, content):
    return {"id": i, "content": content, "single_word": False, "lstrip": False, "rstrip": False,
            "normalized": False, "special": True}


def write_json(path, obj):
    tmp = path + ".tmp"
    with open(tmp, "w", encoding="utf-8", newline="\n") as f:
        json.dump(obj, f, ensure_ascii=False, indent=2)
        f.write("\n")
    os.replace(tmp, path)


def save(out, vocab, merges, max_len):
    os.makedirs(out, exist_ok=True)
    ids = {s: vocab[s] for s in SPECIALS}
    tokenizer = {
        "version": "1.0",
        "truncation": None,
        "padding": None,
        "added_tokens": [added_token(ids[s], s) for s in SPECIALS],
        "normalizer": None,
        "pre_tokenizer": {"type": "ByteLevel", "add_prefix_space": False, "trim_offsets": True, "use_regex": True},
        "post_processor": {"type": "ByteLevel", "add_prefix_space": True, "trim_offsets": False, "use_regex": True},
        "decoder": {"type": "ByteLevel", "add_prefix_space": True, "trim_offsets": True, "use_regex": True},
        "model": {
            "type": "BPE",
            "dropout": None,
            "unk_token": None,
            "continuing_subword_prefix": None,
            "end_of_word_suffix": None,
            "fuse_unk": False,
            "byte_fallback": False,
            "vocab": vocab,
            "merges": ["%s %s" % m for m in merges],
        },
    }
    # tokenizer.json is big and machine-read: no indent, like the Hub's.
    tmp = os.path.join(out, "tokenizer.json.tmp")
    with open(tmp, "w", encoding="utf-8", newline="\n") as f:
        json.dump(tokenizer, f, ensure_ascii=False, separators=(",", ":"))
        f.write("\n")
    os.replace(tmp, os.path.join(out, "tokenizer.json"))

    write_json(os.path.join(out, "tokenizer_config.json"), {
        "add_bos_token": False,
        "add_prefix_space": False,
        "added_tokens_decoder": {str(ids[s]): {k: v for k, v in added_token(ids[s], s).items() if k != "id"}
                                 for s in SPECIALS},
        "additional_special_tokens": ["<|im_start|>", "<|im_end|>"],
        "bos_token": None,
        "chat_template": CHAT_TEMPLATE,
        "clean_up_tokenization_spaces": False,
        "eos_token": "<|im_end|>",
        "errors": "replace",
        "model_max_length": max_len,
        "pad_token": "<|endoftext|>",
        "split_special_tokens": False,
        "tokenizer_class": "GPT2Tokenizer",
        "unk_token": None,
    })
    write_json(os.path.join(out, "special_tokens_map.json"), {
        "additional_special_tokens": ["<|im_start|>", "<|im_end|>"],
        "eos_token": {"content": "<|im_end|>", "lstrip": False, "normalized": False, "rstrip": False, "single_word": False},
        "pad_token": {"content": "<|endoftext|>", "lstrip": False, "normalized": False, "rstrip": False, "single_word": False},
    })
    write_json(os.path.join(out, "generation_config.json"), {
        "_from_model_config": False,
        "bos_token_id": ids["<|endoftext|>"],
        "eos_token_id": [ids["<|im_end|>"], ids["<|endoftext|>"]],
        "pad_token_id": ids["<|endoftext|>"],
    })


def encode_count(text, ranks, cache, b2u):
    """Token count of @text with the trained merges (for the statistics)."""
    n = 0
    for piece in SPECIAL_SPLIT.split(text):
        if not piece:
            continue
        if piece in SPECIALS:
            n += 1
            continue
        for w in GPT2_SPLIT.findall(piece):
            k = cache.get(w)
            if k is None:
                s = [b2u[b] for b in w.encode("utf-8")]
                while len(s) > 1:
                    best = None
                    for j in range(len(s) - 1):
                        r = ranks.get((s[j], s[j + 1]))
                        if r is not None and (best is None or r < best[0]):
                            best = (r, j)
                    if best is None:
                        break
                    j = best[1]
                    s[j:j + 2] = [s[j] + s[j + 1]]
                k = cache[w] = len(s)
            n += k
    return n


def main():
    ap = argparse.ArgumentParser(description="Train the demo model's byte-level BPE tokenizer.")
    ap.add_argument("--corpus", default="_build/demo/train.jsonl", help="training corpus (make-corpus.py's train.jsonl)")
    ap.add_argument("--val", default=None, help="held-out corpus for bytes-per-token (default: val.jsonl beside --corpus)")
    ap.add_argument("--out", default="_build/demo/model", help="folder for the tokenizer files")
    ap.add_argument("--vocab-size", type=int, default=2048, help="vocabulary size, special tokens included (default: 2048)")
    ap.add_argument("--model-max-length", type=int, default=1024, help="tokenizer_config.json's model_max_length (default: 1024)")
    args = ap.parse_args()

    t0 = time.time()
    words, n_bytes = count_words([args.corpus])
    t1 = time.time()
    vocab, merges = train_bpe(words, args.vocab_size)
    t2 = time.time()
    if len(vocab) != args.vocab_size:
        print("train-tokenizer: the corpus only supports %d tokens, not %d" % (len(vocab), args.vocab_size), file=sys.stderr)
        return 1
    save(args.out, vocab, merges, args.model_max_length)
    print("counted %d distinct pre-tokens in %.1f MB in %.1f s; learned %d merges in %.1f s"
          % (len(words), n_bytes / 1e6, t1 - t0, len(merges), t2 - t1))
    print("wrote %s: vocabulary %d (3 special + 256 bytes + %d merged)"
          % (os.path.join(args.out, "tokenizer.json"), len(vocab), len(vocab) - 259))

    val = args.val or os.path.join(os.path.dirname(args.corpus) or ".", "val.jsonl")
    if os.path.exists(val):
        ranks = {m: i for i, m in enumerate(merges)}
        b2u = bytes_to_unicode()
        cache = {}
        nb = nt = 0
        for text in corpus_texts(val):
            nb += len(text.encode("utf-8"))
            nt += encode_count(text, ranks, cache, b2u)
        print("%s: %d bytes, %d tokens, %.2f bytes per token" % (val, nb, nt, nb / max(nt, 1)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
