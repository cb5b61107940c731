#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
#
# The peer for `whetstone-cli bench train`: the same LoRA step in PyTorch
# on the CPU (transformers' LlamaForCausalLM in float32, PEFT LoRA on all
# seven projections, AdamW on the LoRA weights, gradient clipping at 1.0),
# on one random sequence, one warm-up step, then the timed steps.  Used by
# hand and by `make bench` when torch, transformers and peft are installed;
# never by the tests.
#
#   train-peer.py (--model HF_FOLDER | --shape llama-3.2-1b|stories260K)
#                 [--seq 512] [--steps 3] [--rank 16] [--alpha 32]
#                 [--threads N] [--no-checkpointing] [--json]

import argparse
import json
import math
import os
import resource
import sys
import time

TARGETS = ["q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj"]

# The shapes of `whetstone-cli bench train --shape`, as transformers'
# LlamaConfig arguments.
SHAPES = {
    "llama-3.2-1b": dict(vocab_size=128256, hidden_size=2048, intermediate_size=8192,
                         num_hidden_layers=16, num_attention_heads=32, num_key_value_heads=8,
                         head_dim=64, max_position_embeddings=131072, rms_norm_eps=1e-5,
                         rope_theta=500000.0, tie_word_embeddings=True,
                         rope_scaling={"rope_type": "llama3", "factor": 32.0, "low_freq_factor": 1.0,
                                       "high_freq_factor": 4.0,
                                       "original_max_position_embeddings": 8192}),
    "stories260K": dict(vocab_size=512, hidden_size=64, intermediate_size=172,
                        num_hidden_layers=5, num_attention_heads=8, num_key_value_heads=4,
                        max_position_embeddings=512, rms_norm_eps=1e-5, rope_theta=10000.0,
                        tie_word_embeddings=True),
}


def parse_args():
    p = argparse.ArgumentParser(description="LoRA training speed of PyTorch on the CPU, "
                                            "the peer of whetstone-cli bench train.")
    which = p.add_mutually_exclusive_group(required=True)
    which.add_argument("--model", help="a Hugging Face model folder (its own weights)")
    which.add_argument("--shape", choices=sorted(SHAPES), help="random float32 weights of a known shape")
    p.add_argument("--seq", type=int, default=512, help="tokens per sequence (default 512)")
    p.add_argument("--steps", type=int, default=3, help="timed steps after the warm-up step (default 3)")
    p.add_argument("--rank", type=int, default=16, help="LoRA rank (default 16)")
    p.add_argument("--alpha", type=float, default=32, help="LoRA alpha (default 32)")
    p.add_argument("--threads", type=int, default=int(os.environ.get("OMP_NUM_THREADS") or os.cpu_count()),
                   help="PyTorch threads (default: OMP_NUM_THREADS, else every processor)")
    p.add_argument("--no-checkpointing", action="store_true",
                   help="keep every layer's activations instead of recomputing them")
    p.add_argument("--json", action="store_true", help="print JSON for scripts")
    args = p.parse_args()
    if args.seq < 2 or args.steps < 1 or args.rank < 1 or args.alpha <= 0 or args.threads < 1:
        p.error("--seq must be at least 2, --steps, --rank and --threads at least 1, --alpha above 0")
    if args.model is not None and not os.path.isfile(os.path.join(args.model, "config.json")):
        p.error(f"{args.model} has no config.json: give a Hugging Face model folder "
                "(the peer does not read .gguf files)")
    return args


def load_model(args):
    import torch
    import transformers

    if args.model is not None:
        return transformers.LlamaForCausalLM.from_pretrained(args.model, torch_dtype=torch.float32)
    config = transformers.LlamaConfig(**SHAPES[args.shape])
    return transformers.LlamaForCausalLM(config).to(torch.float32)


def main():
    args = parse_args()
    try:
        import peft
        import torch
        import transformers
    except ImportError as e:
        sys.exit(f"train-peer.py: {e.name} is missing; install the peer with "
                 "`pip install torch transformers peft` (the CPU wheel of torch is enough).")

    torch.set_num_threads(args.threads)
    torch.manual_seed(0)

    model = load_model(args)
    model.config.use_cache = False
    lora = peft.LoraConfig(r=args.rank, lora_alpha=args.alpha, lora_dropout=0.0, bias="none",
                           target_modules=TARGETS, task_type="CAUSAL_LM")
    model = peft.get_peft_model(model, lora)
    if not args.no_checkpointing:
        model.gradient_checkpointing_enable(gradient_checkpointing_kwargs={"use_reentrant": False})
    model.train()

    vocab = model.config.vocab_size
    if args.seq > model.config.max_position_embeddings:
        sys.exit(f"train-peer.py: the model takes at most {model.config.max_position_embeddings} "
                 "positions; give a smaller --seq")
    params = [p for p in model.parameters() if p.requires_grad]
    opt = torch.optim.AdamW(params, lr=1e-4, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.0)

    # seq + 1 pseudo-random ids inside the vocabulary, the same as
    # whetstone-cli bench train's: each position's target is the next one.
    ids = torch.tensor([[(i * 2654435761 + 12345) % 2**32 % vocab for i in range(args.seq + 1)]])
    inputs, targets = ids[:, :-1], ids[:, 1:]

    def step():
        logits = model(input_ids=inputs).logits
        loss = torch.nn.functional.cross_entropy(logits.float().reshape(-1, vocab), targets.reshape(-1))
        loss.backward()
        torch.nn.utils.clip_grad_norm_(params, 1.0)
        opt.step()
        opt.zero_grad(set_to_none=True)
        return loss.item()

    start = time.perf_counter()
    initial_loss = step()
    warmup = time.perf_counter() - start
    times = []
    for i in range(args.steps):
        start = time.perf_counter()
        loss = step()
        times.append(time.perf_counter() - start)
        if not args.json:
            print(f"Step {i + 1}/{args.steps}: {times[-1]:.2f} s, loss {loss:.4f}", file=sys.stderr)

    s_per_step = sum(times) / len(times)
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024  # Linux reports KiB
    result = {
        "peer": f"PyTorch {torch.__version__}, transformers {transformers.__version__}, peft {peft.__version__}",
        "model": args.model or args.shape,
        "threads": torch.get_num_threads(),
        "gradient_checkpointing": not args.no_checkpointing,
        "attention": model.config._attn_implementation,
        "seq": args.seq,
        "steps": args.steps,
        "rank": args.rank,
        "alpha": args.alpha,
        "warmup_seconds": warmup,
        "seconds_per_step": s_per_step,
        "tokens_per_second": args.seq / s_per_step,
        "initial_loss": initial_loss,
        "loss": loss,
        "peak_rss_bytes": rss,
    }
    if args.json:
        print(json.dumps(result, indent=2))
        return
    print(f"Peer: {result['peer']}, {result['threads']} threads, attention {result['attention']}, "
          f"gradient checkpointing {'on' if result['gradient_checkpointing'] else 'off'}")
    print(f"Speed: {result['tokens_per_second']:.1f} tokens/s, {s_per_step:.2f} s/step "
          f"(warm-up {warmup:.1f} s)")
    if args.shape is not None:
        print(f"Loss: {initial_loss:.4f} at the warm-up step, {loss:.4f} at the last "
              f"(random weights give about ln {vocab} = {math.log(vocab):.4f})")
    else:
        print(f"Loss: {initial_loss:.4f} at the warm-up step, {loss:.4f} at the last (on random tokens)")
    print(f"Peak RSS: {rss / 2**30:.2f} GiB")


main()
