#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Build the tiny-model reference fixtures for Whetstone's forward pass.

Every model here is random and tiny.  The reference implementation is
Hugging Face transformers' own modelling code (LlamaForCausalLM,
MistralForCausalLM, Qwen2ForCausalLM), run on the CPU in float32 with
eager attention.  The C engine must reproduce the stored logits.

    python3 tests/reference/models/make-fixtures.py            # rebuild in place
    python3 tests/reference/models/make-fixtures.py --out DIR  # build elsewhere
    python3 tests/reference/models/make-fixtures.py --check    # build in a temp dir, compare bytes

As well as writing the fixtures, the script checks itself and stops on failure:

  * the incremental decode (KV cache) matches the full pass to within 1e-5;
  * an independent float64 NumPy forward pass matches transformers' float32
    logits (this measures how far float32 rounding alone moves the logits,
    which is what the C tolerance of 1e-4 is based on);
  * every GGUF file is read back with gguf.GGUFReader, its tensors are
    dequantised, and a NumPy forward pass that uses llama.cpp's *interleaved*
    RoPE on the *permuted* Q/K rows reproduces the reference logits.  This
    checks the permutation independently of the un-permute step.

See README.md next to this file for the layout and the tolerances.
"""

import argparse
import filecmp
import json
import math
import os
import sys
import tempfile
from pathlib import Path

import numpy as np
import torch

import gguf
import safetensors
import safetensors.torch
import transformers
from transformers import (DynamicCache, LlamaConfig, LlamaForCausalLM, MistralConfig,
                          MistralForCausalLM, Qwen2Config, Qwen2ForCausalLM)

HERE = Path(__file__).resolve().parent

# Tolerances asserted by this script (the C tests use 1e-4, see README.md).
INCREMENTAL_TOL = 1e-5
NUMPY_F64_TOL = 2e-5      # transformers f32 vs independent float64 forward
N_INCREMENTAL = 4         # tokens decoded one at a time at the end

# --------------------------------------------------------------------------
# Fixture definitions

COMMON = dict(hidden_size=64, num_hidden_layers=2, hidden_act="silu",
              initializer_range=0.1, attention_dropout=0.0, use_cache=True,
              bos_token_id=1, eos_token_id=2, pad_token_id=None)

FIXTURES = [
    dict(name="llama-gqa", cls="llama", seed=1001, seq=32,
         config=dict(vocab_size=128, intermediate_size=96,
                     num_attention_heads=8, num_key_value_heads=4,
                     rope_theta=10000.0, rms_norm_eps=1e-5,
                     max_position_embeddings=256, tie_word_embeddings=False)),
    dict(name="llama-tied", cls="llama", seed=1002, seq=28,
         config=dict(vocab_size=100, intermediate_size=96,
                     num_attention_heads=4, num_key_value_heads=4,
                     rope_theta=10000.0, rms_norm_eps=1e-6,
                     max_position_embeddings=256, tie_word_embeddings=True)),
    dict(name="llama-mqa-headdim", cls="llama", seed=1003, seq=24,
         config=dict(vocab_size=96, intermediate_size=96,
                     num_attention_heads=8, num_key_value_heads=1, head_dim=16,
                     rope_theta=10000.0, rms_norm_eps=1e-5,
                     max_position_embeddings=256, tie_word_embeddings=False)),
    dict(name="llama3-rope", cls="llama", seed=1004, seq=40,
         config=dict(vocab_size=96, intermediate_size=100,
                     num_attention_heads=4, num_key_value_heads=2,
                     rope_theta=500000.0, rms_norm_eps=1e-5,
                     max_position_embeddings=512, tie_word_embeddings=False,
                     rope_scaling={"rope_type": "llama3", "factor": 8.0,
                                   "low_freq_factor": 1.0,
                                   "high_freq_factor": 4.0,
                                   "original_max_position_embeddings": 64})),
    dict(name="linear-rope", cls="llama", seed=1005, seq=40,
         config=dict(vocab_size=96, intermediate_size=96,
                     num_attention_heads=4, num_key_value_heads=2,
                     rope_theta=10000.0, rms_norm_eps=1e-5,
                     max_position_embeddings=512, tie_word_embeddings=False,
                     rope_scaling={"type": "linear", "factor": 2.0})),
    dict(name="qwen2", cls="qwen2", seed=1006, seq=32,
         config=dict(vocab_size=100, intermediate_size=96,
                     num_attention_heads=4, num_key_value_heads=2,
                     rope_theta=1000000.0, rms_norm_eps=1e-6,
                     max_position_embeddings=256, tie_word_embeddings=False,
                     use_sliding_window=False)),
    dict(name="llama-bias", cls="llama", seed=1007, seq=30,
         config=dict(vocab_size=104, intermediate_size=96,
                     num_attention_heads=4, num_key_value_heads=4,
                     rope_theta=10000.0, rms_norm_eps=1e-5,
                     max_position_embeddings=256, tie_word_embeddings=False,
                     attention_bias=True, mlp_bias=False)),
    dict(name="mistral", cls="mistral", seed=1008, seq=32,
         config=dict(vocab_size=96, intermediate_size=96,
                     num_attention_heads=8, num_key_value_heads=2,
                     rope_theta=1000000.0, rms_norm_eps=1e-5,
                     max_position_embeddings=256, tie_word_embeddings=False,
                     sliding_window=None)),
]

CLASSES = {
    "llama": (LlamaConfig, LlamaForCausalLM),
    "mistral": (MistralConfig, MistralForCausalLM),
    "qwen2": (Qwen2Config, Qwen2ForCausalLM),
}

GGUF_BASE = "llama-gqa"
GGUF_VARIANTS = [  # (folder, file name, ggml type for 2-D tensors, general.file_type)
    ("llama-gqa-gguf-f32", "llama-gqa.gguf", gguf.GGMLQuantizationType.F32,
     gguf.LlamaFileType.ALL_F32),
    ("llama-gqa-gguf-q8_0", "llama-gqa-q8_0.gguf", gguf.GGMLQuantizationType.Q8_0,
     gguf.LlamaFileType.MOSTLY_Q8_0),
    ("llama-gqa-gguf-q4_0", "llama-gqa-q4_0.gguf", gguf.GGMLQuantizationType.Q4_0,
     gguf.LlamaFileType.MOSTLY_Q4_0),
]


def token_ids(vocab, n, salt):
    """A fixed, RNG-free token sequence: starts with BOS (1), has repeats."""
    ids = [1]
    x = 12345 + 977 * salt
    while len(ids) < n:
        x = (x * 1103515245 + 12345) % (1 << 31)
        ids.append(3 + (x >> 8) % (vocab - 3))
    # a repeated bigram so attention sees identical keys at two positions
    ids[n // 2] = ids[3]
    ids[n // 2 + 1] = ids[4]
    return ids


# --------------------------------------------------------------------------
# Model construction and the transformers reference


def build_model(fx):
    config_cls, model_cls = CLASSES[fx["cls"]]
    cfg = dict(COMMON)
    cfg.update(fx["config"])
    config = config_cls(**cfg)
    config._attn_implementation = "eager"
    torch.manual_seed(fx["seed"])
    model = model_cls(config).to(torch.float32).eval()
    # transformers initialises RMSNorm weights to 1 and biases to 0.  Make
    # them random so that an engine that ignores them fails.
    g = torch.Generator().manual_seed(fx["seed"] + 50000)
    with torch.no_grad():
        for name, p in model.named_parameters():
            if name.endswith("norm.weight"):
                p.copy_(1.0 + 0.2 * torch.randn(p.shape, generator=g))
            elif name.endswith(".bias"):
                p.copy_(0.1 * torch.randn(p.shape, generator=g))
    return model


def load_f32(model_cls, path):
    m = model_cls.from_pretrained(path, torch_dtype=torch.float32,
                                  attn_implementation="eager")
    return m.eval()


@torch.no_grad()
def reference_logits(model, ids):
    inp = torch.tensor([ids], dtype=torch.long)
    full = model(inp, use_cache=False).logits[0].float()
    n = len(ids)
    p = n - N_INCREMENTAL
    pkv = DynamicCache()
    out = model(inp[:, :p], past_key_values=pkv, use_cache=True)
    pkv = out.past_key_values
    inc = []
    for t in range(p, n):
        out = model(inp[:, t:t + 1], past_key_values=pkv, use_cache=True)
        pkv = out.past_key_values
        inc.append(out.logits[0, -1].float())
    inc = torch.stack(inc)
    d = (inc - full[p:]).abs().max().item()
    assert d <= INCREMENTAL_TOL, f"incremental decode differs by {d}"
    return full.numpy().astype("<f4"), inc.numpy().astype("<f4"), d


# --------------------------------------------------------------------------
# Independent NumPy forward pass (float64 unless told otherwise)


def rope_inv_freq(head_dim, theta, scaling):
    inv = 1.0 / (theta ** (np.arange(0, head_dim, 2, dtype=np.float64) / head_dim))
    if not scaling:
        return inv
    kind = scaling.get("rope_type", scaling.get("type"))
    if kind == "linear":
        return inv / scaling["factor"]
    if kind == "llama3":
        factor = scaling["factor"]
        lo = scaling["low_freq_factor"]
        hi = scaling["high_freq_factor"]
        old = scaling["original_max_position_embeddings"]
        wavelen = 2 * math.pi / inv
        out = np.empty_like(inv)
        for i, (f, w) in enumerate(zip(inv, wavelen)):
            if w < old / hi:            # high frequency: unchanged
                out[i] = f
            elif w > old / lo:          # low frequency: divided by factor
                out[i] = f / factor
            else:                       # in between: smooth blend
                s = (old / w - lo) / (hi - lo)
                out[i] = (1 - s) * f / factor + s * f
        return out
    raise ValueError(kind)


def np_rope(x, pos, inv_freq, interleaved):
    """x: [seq, heads, head_dim].  HF pairs i with i+d/2 (rotate_half);
    llama.cpp's LLAMA rope (on permuted rows) pairs 2i with 2i+1."""
    ang = pos[:, None] * inv_freq[None, :]            # [seq, d/2]
    c = np.cos(ang)[:, None, :]
    s = np.sin(ang)[:, None, :]
    if interleaved:
        a, b = x[..., 0::2], x[..., 1::2]
        out = np.empty_like(x)
        out[..., 0::2] = a * c - b * s
        out[..., 1::2] = b * c + a * s
        return out
    h = x.shape[-1] // 2
    a, b = x[..., :h], x[..., h:]
    return np.concatenate([a * c - b * s, b * c + a * s], axis=-1)


def np_forward(W, hp, ids, interleaved=False, dtype=np.float64):
    """W: dict of HF-named arrays (q/k rows permuted if interleaved)."""
    def t(name):
        return W[name].astype(dtype)

    def rms(x, w):
        return x / np.sqrt((x * x).mean(-1, keepdims=True) + hp["eps"]) * w

    def lin(x, name):
        y = x @ t(name + ".weight").T
        if name + ".bias" in W:
            y = y + t(name + ".bias")
        return y

    n = len(ids)
    nh, nkv, hd = hp["n_heads"], hp["n_kv_heads"], hp["head_dim"]
    inv = rope_inv_freq(hd, hp["theta"], hp["rope_scaling"]).astype(dtype)
    pos = np.arange(n, dtype=dtype)
    mask = np.triu(np.full((n, n), -np.inf, dtype=dtype), 1)
    x = t("model.embed_tokens.weight")[ids]
    for L in range(hp["n_layers"]):
        p = f"model.layers.{L}."
        h = rms(x, t(p + "input_layernorm.weight"))
        q = lin(h, p + "self_attn.q_proj").reshape(n, nh, hd)
        k = lin(h, p + "self_attn.k_proj").reshape(n, nkv, hd)
        v = lin(h, p + "self_attn.v_proj").reshape(n, nkv, hd)
        q = np_rope(q, pos, inv, interleaved)
        k = np_rope(k, pos, inv, interleaved)
        rep = nh // nkv
        k = np.repeat(k, rep, axis=1)
        v = np.repeat(v, rep, axis=1)
        sc = np.einsum("qhd,khd->hqk", q, k) / math.sqrt(hd) + mask
        sc = np.exp(sc - sc.max(-1, keepdims=True))
        sc = sc / sc.sum(-1, keepdims=True)
        a = np.einsum("hqk,khd->qhd", sc, v).reshape(n, nh * hd)
        x = x + lin(a, p + "self_attn.o_proj")
        h = rms(x, t(p + "post_attention_layernorm.weight"))
        g = lin(h, p + "mlp.gate_proj")
        u = lin(h, p + "mlp.up_proj")
        x = x + lin(g / (1 + np.exp(-g)) * u, p + "mlp.down_proj")
    x = rms(x, t("model.norm.weight"))
    head = "lm_head.weight" if "lm_head.weight" in W else "model.embed_tokens.weight"
    return x @ t(head).T


def hparams(config):
    return dict(n_heads=config.num_attention_heads,
                n_kv_heads=config.num_key_value_heads,
                head_dim=getattr(config, "head_dim", None)
                or config.hidden_size // config.num_attention_heads,
                n_layers=config.num_hidden_layers, eps=config.rms_norm_eps,
                theta=config.rope_theta,
                rope_scaling=getattr(config, "rope_scaling", None))


def state_np(model):
    return {k: v.detach().float().numpy() for k, v in model.state_dict().items()}


# --------------------------------------------------------------------------
# GGUF (llama.cpp layout)


def permute(w, n_head):
    """llama.cpp convert_hf_to_gguf.py LlamaModel.permute, re-derived:
    within each head, HF row j*(d/2)+i  ->  GGUF row 2*i+j  (j in {0,1})."""
    rows = w.shape[0]
    hd = rows // n_head
    return (w.reshape(n_head, 2, hd // 2, *w.shape[1:])
             .swapaxes(1, 2).reshape(w.shape))


def unpermute(w, n_head):
    rows = w.shape[0]
    hd = rows // n_head
    return (w.reshape(n_head, hd // 2, 2, *w.shape[1:])
             .swapaxes(1, 2).reshape(w.shape))


def gguf_name(hf):
    if hf == "model.embed_tokens.weight":
        return "token_embd.weight"
    if hf == "model.norm.weight":
        return "output_norm.weight"
    if hf == "lm_head.weight":
        return "output.weight"
    parts = hf.split(".")
    L = parts[2]
    rest = ".".join(parts[3:])
    table = {
        "input_layernorm.weight": "attn_norm.weight",
        "self_attn.q_proj.weight": "attn_q.weight",
        "self_attn.k_proj.weight": "attn_k.weight",
        "self_attn.v_proj.weight": "attn_v.weight",
        "self_attn.o_proj.weight": "attn_output.weight",
        "post_attention_layernorm.weight": "ffn_norm.weight",
        "mlp.gate_proj.weight": "ffn_gate.weight",
        "mlp.up_proj.weight": "ffn_up.weight",
        "mlp.down_proj.weight": "ffn_down.weight",
    }
    return f"blk.{L}.{table[rest]}"


def dummy_vocab(n):
    toks = ["<unk>", "<s>", "</s>", "<0x0A>", "\u2581"]
    types = [gguf.TokenType.UNKNOWN, gguf.TokenType.CONTROL,
             gguf.TokenType.CONTROL, gguf.TokenType.BYTE, gguf.TokenType.NORMAL]
    for c in range(33, 127):
        toks.append(chr(c))
        types.append(gguf.TokenType.NORMAL)
    pairs = ["\u2581t", "\u2581a", "th", "he", "in", "er", "an", "re", "on",
             "at", "en", "nd", "ti", "es", "or", "te", "of", "ed", "is", "it",
             "al", "ar", "st", "to", "nt", "ng", "se", "ha", "as", "ou", "io",
             "le", "ve", "co", "me", "de", "hi", "ri", "ro", "ic"]
    for p in pairs:
        if len(toks) >= n:
            break
        toks.append(p)
        types.append(gguf.TokenType.NORMAL)
    assert len(toks) >= n, "dummy vocabulary too small"
    toks, types = toks[:n], types[:n]
    scores = [0.0 if ty != gguf.TokenType.NORMAL else -float(i)
              for i, ty in enumerate(types)]
    return toks, scores, [int(t) for t in types]


def write_gguf(path, model, qtype, ftype):
    c = model.config
    hp = hparams(c)
    w = gguf.GGUFWriter(str(path), "llama")
    w.add_name(GGUF_BASE)
    w.add_context_length(c.max_position_embeddings)
    w.add_embedding_length(c.hidden_size)
    w.add_block_count(c.num_hidden_layers)
    w.add_feed_forward_length(c.intermediate_size)
    w.add_head_count(c.num_attention_heads)
    w.add_head_count_kv(c.num_key_value_heads)
    w.add_layer_norm_rms_eps(c.rms_norm_eps)
    w.add_rope_freq_base(c.rope_theta)
    w.add_rope_dimension_count(hp["head_dim"])
    w.add_vocab_size(c.vocab_size)
    w.add_file_type(int(ftype))
    if qtype != gguf.GGMLQuantizationType.F32:
        w.add_quantization_version(gguf.GGML_QUANT_VERSION)
    toks, scores, types = dummy_vocab(c.vocab_size)
    w.add_tokenizer_model("llama")
    w.add_token_list(toks)
    w.add_token_scores(scores)
    w.add_token_types(types)
    w.add_unk_token_id(0)
    w.add_bos_token_id(1)
    w.add_eos_token_id(2)
    w.add_add_bos_token(True)
    w.add_add_eos_token(False)

    deq = {}   # HF name -> dequantised f32 array in HF (un-permuted) layout
    for name, t in model.state_dict().items():
        a = t.detach().float().numpy().astype(np.float32)
        if name.endswith("q_proj.weight"):
            a = permute(a, c.num_attention_heads)
        elif name.endswith("k_proj.weight"):
            a = permute(a, c.num_key_value_heads)
        a = np.ascontiguousarray(a)
        if a.ndim == 2 and qtype != gguf.GGMLQuantizationType.F32:
            q = gguf.quants.quantize(a, qtype)
            w.add_tensor(gguf_name(name), q, raw_dtype=qtype)
            back = gguf.quants.dequantize(q, qtype).astype(np.float32)
        else:
            w.add_tensor(gguf_name(name), a)
            back = a
        if name.endswith("q_proj.weight"):
            back = unpermute(back, c.num_attention_heads)
        elif name.endswith("k_proj.weight"):
            back = unpermute(back, c.num_key_value_heads)
        deq[name] = np.ascontiguousarray(back)
    w.write_header_to_file()
    w.write_kv_data_to_file()
    w.write_tensors_to_file()
    w.close()
    return deq


def read_gguf(path, hf_names):
    """Read a GGUF back; return (metadata dict, HF-named arrays in the
    file's *permuted* layout, dequantised to f32)."""
    r = gguf.GGUFReader(str(path))
    meta = {}
    for f in r.fields.values():
        if f.name.startswith("tokenizer.ggml.tokens"):
            continue
        if len(f.types) == 1 and f.types[0] == gguf.GGUFValueType.STRING:
            meta[f.name] = bytes(f.parts[f.data[0]]).decode()
        elif len(f.types) == 1:
            meta[f.name] = f.parts[f.data[0]][0].item()
    inv = {gguf_name(hf): hf for hf in hf_names}
    W = {}
    for t in r.tensors:
        a = gguf.quants.dequantize(np.asarray(t.data), t.tensor_type)
        shape = tuple(int(s) for s in reversed(t.shape.tolist()))
        W[inv[t.name]] = np.asarray(a, dtype=np.float32).reshape(shape)
    return meta, W


# --------------------------------------------------------------------------


def write_common(d, ids, full, inc, vocab):
    d.mkdir(parents=True, exist_ok=True)
    (d / "inputs.json").write_text(json.dumps(
        {"input_ids": ids, "seq_len": len(ids), "vocab_size": vocab,
         "n_prefill": len(ids) - N_INCREMENTAL,
         "n_incremental": N_INCREMENTAL}, indent=1) + "\n")
    assert full.shape == (len(ids), vocab) and full.dtype == np.dtype("<f4")
    full.tofile(d / "logits.bin")
    inc.tofile(d / "logits_incremental.bin")


def save_hf(model, d, dtype=torch.float32):
    d.mkdir(parents=True, exist_ok=True)
    model.config._name_or_path = ""   # keep config.json free of build paths
    model.to(dtype).save_pretrained(d, safe_serialization=True)
    model.to(torch.float32)
    gc = d / "generation_config.json"
    if gc.exists():
        gc.unlink()


def fmt(x):
    return f"{x:.3g}"


def build(out):
    torch.set_num_threads(1)
    torch.use_deterministic_algorithms(True)
    out.mkdir(parents=True, exist_ok=True)
    manifest = {"generator": {
        "python": sys.version.split()[0], "torch": torch.__version__,
        "transformers": transformers.__version__,
        "safetensors": safetensors.__version__, "gguf": _version("gguf"),
        "numpy": np.__version__}, "fixtures": []}
    report = []

    def record(name, fmt_, path, dtype, ids, vocab, full, extra):
        entry = {"name": name, "format": fmt_, "model": path,
                 "weights": dtype, "seq_len": len(ids), "vocab_size": vocab,
                 "n_prefill": len(ids) - N_INCREMENTAL,
                 "tolerance": 1e-4,
                 "logits_absmax": round(float(np.abs(full).max()), 4)}
        entry.update(extra)
        manifest["fixtures"].append(entry)
        report.append((name, extra))

    for i, fx in enumerate(FIXTURES):
        name = fx["name"]
        model = build_model(fx)
        d = out / name
        save_hf(model, d)
        model = load_f32(CLASSES[fx["cls"]][1], d)   # reference = what was saved
        vocab = model.config.vocab_size
        ids = token_ids(vocab, fx["seq"], i)
        full, inc, dinc = reference_logits(model, ids)
        write_common(d, ids, full, inc, vocab)
        hp = hparams(model.config)
        ref64 = np_forward(state_np(model), hp, ids)
        d64 = float(np.abs(ref64 - full).max())
        assert d64 <= NUMPY_F64_TOL, f"{name}: numpy f64 vs torch {d64}"
        ref32 = np_forward(state_np(model), hp, ids, dtype=np.float32)
        d32 = float(np.abs(ref32 - full).max())
        extra = {"max_diff_incremental": fmt(dinc), "max_diff_numpy_f64": fmt(d64),
                 "max_diff_numpy_f32": fmt(d32)}
        # rotary frequencies: ours vs transformers'
        tinv = next(b for n_, b in model.named_buffers()
                    if n_.endswith("inv_freq")).double().numpy()
        ninv = rope_inv_freq(hp["head_dim"], hp["theta"], hp["rope_scaling"])
        assert np.allclose(tinv, ninv, rtol=1e-6, atol=0), name
        if hp["rope_scaling"]:
            plain = dict(hp, rope_scaling=None)
            dplain = float(np.abs(np_forward(state_np(model), plain, ids) - ref64).max())
            extra["effect_of_rope_scaling"] = fmt(dplain)
            assert dplain > 1e-2, f"{name}: rope scaling has no visible effect"
            sc = hp["rope_scaling"]
            if sc.get("rope_type") == "llama3":
                base = rope_inv_freq(hp["head_dim"], hp["theta"], None)
                ratio = base / ninv
                n_hi = int(np.sum(np.isclose(ratio, 1.0)))
                n_lo = int(np.sum(np.isclose(ratio, sc["factor"])))
                n_mid = len(ratio) - n_hi - n_lo
                assert n_hi and n_lo and n_mid, "llama3 test needs all three bands"
                extra["llama3_bands_high_mid_low"] = f"{n_hi}/{n_mid}/{n_lo}"
        record(name, "safetensors", name, "f32", ids, vocab, full, extra)

        if name != GGUF_BASE:
            continue
        base_model, base_full = model, full

        # --- f16 / bf16 weight variants -------------------------------------
        for suffix, dt in (("f16", torch.float16), ("bf16", torch.bfloat16)):
            dd = out / f"{name}-{suffix}"
            src = load_f32(LlamaForCausalLM, d)
            save_hf(src, dd, dt)
            m = load_f32(LlamaForCausalLM, dd)  # upcast of the stored values
            # check from_pretrained really gave the exact upcast
            raw = safetensors.torch.load_file(str(dd / "model.safetensors"))
            for k, v in raw.items():
                assert v.dtype == dt, k
                assert torch.equal(v.float(), m.state_dict()[k]), k
            f2, i2, di = reference_logits(m, ids)
            write_common(dd, ids, f2, i2, vocab)
            d64 = float(np.abs(np_forward(state_np(m), hparams(m.config), ids) - f2).max())
            assert d64 <= NUMPY_F64_TOL
            record(f"{name}-{suffix}", "safetensors", f"{name}-{suffix}", suffix,
                   ids, vocab, f2,
                   {"max_diff_incremental": fmt(di), "max_diff_numpy_f64": fmt(d64),
                    "diff_vs_f32_logits": fmt(float(np.abs(f2 - full).max()))})

        # --- GGUF variants --------------------------------------------------
        for folder, fname, qtype, ftype in GGUF_VARIANTS:
            dd = out / folder
            dd.mkdir(parents=True, exist_ok=True)
            deq = write_gguf(dd / fname, base_model, qtype, ftype)
            m = load_f32(LlamaForCausalLM, d)
            m.load_state_dict({k: torch.from_numpy(v) for k, v in deq.items()})
            f2, i2, di = reference_logits(m, ids)
            write_common(dd, ids, f2, i2, vocab)
            # read the file back, run llama.cpp-style (permuted rows,
            # interleaved RoPE), compare with the reference
            meta, Wp = read_gguf(dd / fname, base_model.state_dict().keys())
            assert meta["general.architecture"] == "llama"
            ghp = dict(n_heads=meta["llama.attention.head_count"],
                       n_kv_heads=meta["llama.attention.head_count_kv"],
                       head_dim=meta["llama.rope.dimension_count"],
                       n_layers=meta["llama.block_count"],
                       eps=meta["llama.attention.layer_norm_rms_epsilon"],
                       theta=meta["llama.rope.freq_base"], rope_scaling=None)
            for k, v in Wp.items():
                ref = deq[k]
                if k.endswith("q_proj.weight"):
                    ref = permute(ref, ghp["n_heads"])
                elif k.endswith("k_proj.weight"):
                    ref = permute(ref, ghp["n_kv_heads"])
                assert np.array_equal(v, ref), f"{fname}: {k} differs on read-back"
            g64 = np_forward(Wp, ghp, ids, interleaved=True)
            dg = float(np.abs(g64 - f2).max())
            assert dg <= NUMPY_F64_TOL, f"{fname}: interleaved numpy vs torch {dg}"
            # the permuted rows with HF's rotate-half pairing must be wrong
            dw = float(np.abs(np_forward(Wp, ghp, ids, interleaved=False) - f2).max())
            assert dw > 1e-2, f"{fname}: Q/K permutation has no visible effect"
            extra = {"file": fname, "tensor_type_2d": qtype.name,
                     "max_diff_incremental": fmt(di),
                     "max_diff_numpy_f64_interleaved": fmt(dg),
                     "effect_of_wrong_rope_pairing": fmt(dw),
                     "diff_vs_f32_logits": fmt(float(np.abs(f2 - base_full).max()))}
            if qtype == gguf.GGMLQuantizationType.F32:
                assert np.array_equal(f2, base_full), "f32 GGUF must equal llama-gqa"
            record(folder, "gguf", f"{folder}/{fname}", qtype.name.lower(),
                   ids, vocab, f2, extra)

    (out / "manifest.json").write_text(json.dumps(manifest, indent=1) + "\n")
    return report


def _version(dist):
    from importlib.metadata import version
    return version(dist)


def compare_trees(a, b):
    bad = []
    for root, _, files in os.walk(b):
        for f in files:
            pb = Path(root) / f
            pa = Path(a) / pb.relative_to(b)
            if not pa.exists() or not filecmp.cmp(pa, pb, shallow=False):
                bad.append(str(pb.relative_to(b)))
    return bad


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", type=Path, default=HERE)
    ap.add_argument("--check", action="store_true",
                    help="build in a temporary directory and compare with the stored files")
    args = ap.parse_args()
    if args.check:
        with tempfile.TemporaryDirectory() as tmp:
            build(Path(tmp))
            bad = compare_trees(HERE, tmp)
        if bad:
            print("differs from the stored fixtures:", *bad, sep="\n  ")
            return 1
        print("all fixtures reproduced byte for byte")
        return 0
    report = build(args.out)
    for name, extra in report:
        print(f"{name:22s} " + "  ".join(f"{k}={v}" for k, v in extra.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
