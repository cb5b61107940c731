#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
#
# The peer for `whetstone-cli bench generate`: llama.cpp (through the
# llama-cpp-python package) on the CPU, same prompt length and token count,
# greedy.  Used by hand and by `make bench` when the package is installed;
# never by the tests.
#
#   bench-generate-peer.py MODEL.gguf [PROMPT_TOKENS] [TOKENS] [THREADS]

import json
import os
import sys
import time

try:
    import llama_cpp
except ImportError:
    print(json.dumps({"skipped": "the llama-cpp-python package is not installed"}))
    sys.exit(0)


def main():
    path = sys.argv[1]
    n_prompt = int(sys.argv[2]) if len(sys.argv) > 2 else 128
    n_gen = int(sys.argv[3]) if len(sys.argv) > 3 else 32
    threads = int(sys.argv[4]) if len(sys.argv) > 4 else os.cpu_count()
    llm = llama_cpp.Llama(model_path=path, n_ctx=n_prompt + n_gen + 8, n_threads=threads,
                          n_threads_batch=threads, n_batch=512, verbose=False)
    vocab = llm.n_vocab()
    # The same pseudo-random prompt as whetstone-cli bench generate.
    prompt = [(i * 2654435761 + 12345) % (2 ** 32) % vocab for i in range(n_prompt)]

    start = time.perf_counter()
    llm.eval(prompt)
    prompt_s = time.perf_counter() - start

    start = time.perf_counter()
    for _ in range(n_gen):
        token = llm.sample(temp=0.0)
        llm.eval([token])
    gen_s = time.perf_counter() - start

    print(json.dumps({"peer": "llama.cpp " + llama_cpp.__version__, "threads": threads,
                      "prompt_tokens_per_second": n_prompt / prompt_s,
                      "tokens_per_second": n_gen / gen_s}))


main()
