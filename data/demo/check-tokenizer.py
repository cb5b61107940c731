#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
#
# check-tokenizer.py: checks the demo model's tokenizer against Hugging Face
# and against Whetstone's own tokenizer and chat template.  An optional tool
# for whoever regenerates the tokenizer; it needs the `tokenizers` and
# `transformers` Python packages and a built whetstone-cli, and is not part
# of `make test`.
#
#   python3 data/demo/check-tokenizer.py --model _build/demo/model \
#       --corpus _build/demo/val.jsonl --cli _build/app/whetstone-cli
#
# For N examples of the corpus (stories as plain text, chats as
# conversations) it checks that:
#   1. tokenizers' encode of the text equals `whetstone-cli tokenize`
#      (with and without the tokens the model adds around a text, and for
#      chats on the ChatML-rendered text, special tokens included);
#   2. tokenizers' decode gives the text back;
#   3. `whetstone-cli template` detects the template as ChatML, and its
#      rendering and token ids equal transformers'
#      AutoTokenizer.apply_chat_template (with and without the generation
#      prompt);
#   4. AutoTokenizer(text).input_ids equals tokenizers' ids.
# It also prints config.json's parameter count.

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile


def count_params(c):
    h = c["hidden_size"]
    hd = c.get("head_dim") or h // c["num_attention_heads"]
    q = c["num_attention_heads"] * hd
    kv = c["num_key_value_heads"] * hd
    per_layer = h * q + 2 * h * kv + q * h + 3 * h * c["intermediate_size"] + 2 * h
    emb = c["vocab_size"] * h
    total = emb + c["num_hidden_layers"] * per_layer + h
    if not c.get("tie_word_embeddings", False):
        total += emb
    return total, per_layer, emb


def cli_json(cli, args):
    out = subprocess.run([cli] + args + ["--json"], check=True, capture_output=True, text=True).stdout
    return json.loads(out)


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--model", default="_build/demo/model", help="folder with the tokenizer files")
    ap.add_argument("--config", default=os.path.join(here, "config.json"), help="config.json to put beside them")
    ap.add_argument("--corpus", default="_build/demo/val.jsonl", help="corpus to take examples from")
    ap.add_argument("--cli", default="_build/app/whetstone-cli", help="whetstone-cli to compare with")
    ap.add_argument("-n", type=int, default=200, help="how many examples (default: 200)")
    args = ap.parse_args()

    import tokenizers
    import transformers

    transformers.logging.set_verbosity_error()

    with open(args.config, encoding="utf-8") as f:
        config = json.load(f)
    total, per_layer, emb = count_params(config)
    print("config.json: %d layers, hidden %d, %d heads (%d key/value), intermediate %d, vocab %d"
          % (config["num_hidden_layers"], config["hidden_size"], config["num_attention_heads"],
             config["num_key_value_heads"], config["intermediate_size"], config["vocab_size"]))
    print("parameters: %d (%.2f M; embedding %d, %d per layer), %.1f MB in f16"
          % (total, total / 1e6, emb, per_layer, total * 2 / 1e6))

    tmp = tempfile.mkdtemp(prefix="whetstone-demo-tok-")
    try:
        for name in ("tokenizer.json", "tokenizer_config.json", "special_tokens_map.json", "generation_config.json"):
            shutil.copy(os.path.join(args.model, name), tmp)
        shutil.copy(args.config, os.path.join(tmp, "config.json"))

        tok = tokenizers.Tokenizer.from_file(os.path.join(tmp, "tokenizer.json"))
        hf = transformers.AutoTokenizer.from_pretrained(tmp)
        if tok.get_vocab_size() != config["vocab_size"]:
            print("FAIL: tokenizer has %d tokens, config.json says %d" % (tok.get_vocab_size(), config["vocab_size"]))
            return 1

        with open(args.corpus, encoding="utf-8") as f:
            lines = f.readlines()
        step = max(1, len(lines) // args.n)
        examples = [json.loads(l) for l in lines[::step][:args.n]]

        failures = []
        counts = {"plain": 0, "chat": 0, "chatml-text": 0, "generation-prompt": 0}
        nbytes = ntok = 0

        def check(what, a, b):
            if a != b:
                failures.append(what)
                if len(failures) <= 5:
                    print("FAIL %s\n  expected: %r\n  got:      %r" % (what, a, b))
            return a == b

        for i, ex in enumerate(examples):
            if "text" in ex:
                texts = [("plain #%d" % i, ex["text"])]
            else:
                msgs = ex["messages"]
                rendered = hf.apply_chat_template(msgs, tokenize=False)
                conv = os.path.join(tmp, "conv.json")
                with open(conv, "w", encoding="utf-8") as f:
                    json.dump({"messages": msgs}, f, ensure_ascii=False)
                ours = cli_json(args.cli, ["template", "-m", tmp, "-c", conv])
                check("template family #%d" % i, "chatml", ours["family"])
                check("rendering #%d" % i, rendered, ours["text"])
                check("template ids #%d" % i, tok.encode(rendered, add_special_tokens=False).ids, ours["ids"])
                check("apply_chat_template ids #%d" % i, hf.apply_chat_template(msgs, tokenize=True), ours["ids"])
                counts["chat"] += 1
                gen = hf.apply_chat_template(msgs[:-1], tokenize=False, add_generation_prompt=True)
                with open(conv, "w", encoding="utf-8") as f:
                    json.dump({"messages": msgs[:-1]}, f, ensure_ascii=False)
                ours = cli_json(args.cli, ["template", "-m", tmp, "-c", conv, "-g"])
                check("generation prompt #%d" % i, gen, ours["text"])
                check("generation prompt ids #%d" % i, tok.encode(gen, add_special_tokens=False).ids, ours["ids"])
                counts["generation-prompt"] += 1
                texts = [("chatml text #%d" % i, rendered)] + [("message #%d.%d" % (i, j), m["content"])
                                                             for j, m in enumerate(msgs)]
            for what, text in texts:
                enc = tok.encode(text)
                ids = enc.ids
                nbytes += len(text.encode("utf-8"))
                ntok += len(ids)
                ours = cli_json(args.cli, ["tokenize", "-m", tmp, "--text=" + text])["ids"]
                check("tokenize " + what, ids, ours)
                ours = cli_json(args.cli, ["tokenize", "-m", tmp, "--text=" + text, "--no-bos"])["ids"]
                check("tokenize --no-bos " + what, tok.encode(text, add_special_tokens=False).ids, ours)
                check("AutoTokenizer " + what, ids, hf(text).input_ids)
                check("decode " + what, text, tok.decode(ids, skip_special_tokens=False))
                counts["chatml-text" if what.startswith("chatml") else "plain"] += 1

        # The sample datasets are what the demo model is fine-tuned on:
        # their text (em dashes, SQL, newlines, quotes) must agree too.
        samples = os.path.join(here, "..", "samples")
        extra = ["caf\u00e9 na\u00efve \u2014 \u00bd \U0001F600  two  spaces\tand a tab\r\n", "   ", "x" * 300,
                 "It's 12:30, isn't it? We'll see... (maybe) 2024-05-01 3.14"]
        for name in sorted(os.listdir(samples)) if os.path.isdir(samples) else []:
            path = os.path.join(samples, name)
            with open(path, encoding="utf-8") as f:
                if name.endswith(".jsonl"):
                    for line in f.readlines()[:10]:
                        extra += [m["content"] for m in json.loads(line)["messages"]]
                elif name.endswith(".json"):
                    for item in json.load(f)[:10]:
                        extra += [item["instruction"], item["input"], item["output"]]
                elif name.endswith((".csv", ".md")):
                    extra.append(f.read()[:3000])
        for j, text in enumerate(extra):
            ids = tok.encode(text).ids
            check("sample text %d" % j, ids, cli_json(args.cli, ["tokenize", "-m", tmp, "--text=" + text])["ids"])
            check("sample text AutoTokenizer %d" % j, ids, hf(text).input_ids)
            check("sample text decode %d" % j, text, tok.decode(ids))
        counts["sample"] = len(extra)

        print("checked %d examples: %d plain texts, %d ChatML texts, %d conversations (+%d with the generation prompt); "
              "%d texts from data/samples and edge cases"
              % (len(examples), counts["plain"], counts["chatml-text"], counts["chat"], counts["generation-prompt"],
                 counts["sample"]))
        print("bytes per token on these texts: %.2f" % (nbytes / max(ntok, 1)))
        if failures:
            print("FAILED: %d mismatches" % len(failures))
            return 1
        print("all equal: tokenizers = whetstone-cli tokenize = AutoTokenizer; "
              "apply_chat_template = whetstone-cli template (family chatml)")
        return 0
    finally:
        shutil.rmtree(tmp)


if __name__ == "__main__":
    sys.exit(main())
