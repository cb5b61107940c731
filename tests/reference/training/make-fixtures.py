#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Build the training (backward pass / optimiser) reference fixtures for Whetstone.

For the tiny random base models ../models/llama-gqa and ../models/qwen2 this
writes one fixed batch, one fixed LoRA adapter (PEFT format, lora_A and lora_B
both random), and what Hugging Face transformers + PEFT + torch.optim compute
from them in float32 on the CPU:

  * the masked causal-LM loss and the gradient of every lora_A / lora_B;
  * the adapter after 3 AdamW steps (clip_grad_norm_ 1.0 before each step),
    and the same with clip_grad_norm_ 0.1;
  * for llama-gqa, the gradient of every base weight (full fine-tuning);
  * QLoRA (<base>/qlora/): the seven projections of every layer quantised to
    NF4 by an implementation written here (blocks of 64 along each row,
    absmax, nearest of bitsandbytes' 16 levels), the packed bytes of one of
    them, and the loss, LoRA gradients and 3-step adapter that transformers
    + PEFT compute for the same batch and initial adapter on the dequantised
    weights.

    python3 tests/reference/training/make-fixtures.py            # rebuild in place
    python3 tests/reference/training/make-fixtures.py --out DIR  # build elsewhere
    python3 tests/reference/training/make-fixtures.py --check    # build in a temp dir, compare bytes

Checks (the script stops on failure):

  * the base model reproduces ../models/<name>/logits.bin (so the fixtures sit
    on exactly the committed weights);
  * transformers' loss equals a hand-written masked mean cross-entropy over
    all unmasked target tokens of the whole batch, and differs clearly from
    the mean of per-sequence means;
  * the gradients of the first AdamW step are bit-identical to grads.safetensors;
  * gradient clipping at 1.0 is inactive here (pre-clip norms 0.37-0.45), so a
    second 3-step run with clip_grad_norm_ 0.1 (active on every step) is
    stored as after-3-steps-clip0.1/; it must differ measurably from the
    clip-1.0 result;
  * reloading every saved adapter with PeftModel.from_pretrained
    gives the same tensors;
  * an independent implementation written here (plain torch ops, weights
    read straight from the safetensors files, LoRA applied as W x + s*B(A x),
    hand-written gradient clipping and AdamW) is run in float64 and in float32.
    It must agree with the stored float32 results within the tolerances the C
    engine is told to use, and the measured differences (the float32 noise)
    are written to manifest.json;
  * in float64, central finite differences agree with autograd for a few
    elements, and the LoRA gradients equal s*B^T G and s*G A^T, where G is the
    gradient with respect to the merged weight W + s*B A;
  * NF4: the level table matches QLoRA's construction from normal quantiles;
    nearest-level search and midpoint counting (in float64) pick the same
    levels; unpacking the bytes gives the levels back; every weight is within
    half the widest level gap (times absmax) of the original; the QLoRA
    results match the independent implementation on the dequantised weights
    and differ from the LoRA ones by far more than the tolerances.

See README.md next to this file.
"""

import argparse
import filecmp
import json
import math
import os
import shutil
import sys
import tempfile
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F
import transformers
import safetensors
import safetensors.torch
import peft
from peft import LoraConfig, PeftModel, get_peft_model
from transformers import LlamaForCausalLM, Qwen2ForCausalLM

HERE = Path(__file__).resolve().parent
MODELS = HERE.parent / "models"

# ---------------------------------------------------------------- settings
ALL_TARGETS = ["q_proj", "k_proj", "v_proj", "o_proj",
               "gate_proj", "up_proj", "down_proj"]
LORA_R = 4
LORA_ALPHA = 8
SCALING = LORA_ALPHA / LORA_R            # 2.0
A_STD = 0.02
B_STD = 0.01

BATCH_SEED = 4242
BATCH_SIZE = 2
SEQ_LEN = 24
ID_LOW, ID_HIGH = 3, 100                 # ids drawn from [3, 100): valid for both vocabs
# label positions (transformers convention, i.e. unshifted) set to -100
MASKED = [list(range(0, 8)),                        # sequence 0: 8-token prompt
          list(range(0, 12)) + [18, 19]]            # sequence 1: 12-token prompt + a 2-token hole

K_STEPS = 3
LR = 1e-3
BETAS = (0.9, 0.999)
ADAM_EPS = 1e-8
WEIGHT_DECAY = 0.0
MAX_GRAD_NORM = 1.0
CLIP_VARIANT = 0.1                       # extra run where clipping is active
VARIANT_DIR = "after-3-steps-clip0.1"
CLIP_EPS = 1e-6                          # torch.nn.utils.clip_grad_norm_: max_norm / (norm + 1e-6)

# what the C engine should use (documented, and checked against our own
# float32 / float64 re-implementation here)
GRAD_REL_TOL = 1e-3                      # max|g - ref| / max|ref|, per tensor
LOSS_ABS_TOL = 1e-5
STEP_ABS_TOL = 1e-5                      # adapter after K steps, max abs per element
BASE_TOL = 1e-5                          # base model vs ../models/<name>/logits.bin

FIXTURES = [
    {"name": "llama-gqa", "cls": LlamaForCausalLM, "seed": 301, "full": True},
    {"name": "qwen2", "cls": Qwen2ForCausalLM, "seed": 302, "full": False},
]

PEFT_PREFIX = "base_model.model."

# QLoRA: bitsandbytes' NF4 levels (functional.get_4bit_type("nf4")), as float32
NF4_LEVELS = np.array([
    -1.0, -0.6961928009986877, -0.5250730514526367, -0.39491748809814453,
    -0.28444138169288635, -0.18477343022823334, -0.09105003625154495, 0.0,
    0.07958029955625534, 0.16093020141124725, 0.24611230194568634, 0.33791524171829224,
    0.44070982933044434, 0.5626170039176941, 0.7229568362236023, 1.0], dtype=np.float32)
NF4_BLOCK = 64                           # elements per block, along a row
NF4_BLOCK_BYTES = 4 + NF4_BLOCK // 2     # f32 absmax (little-endian) + 32 bytes of nibbles
NF4_ZERO = 7                             # the level of 0.0, and of a short block's padding
QLORA_DIR = "qlora"
# the projection whose packed bytes are stored: rows of 96 = a whole block and a short one
NF4_BYTES_TENSOR = "model.layers.0.mlp.down_proj.weight"
NF4_BYTES_FILE = "nf4-model.layers.0.mlp.down_proj.weight.bin"


# ---------------------------------------------------------------- batch
def make_batch():
    g = torch.Generator().manual_seed(BATCH_SEED)
    ids = torch.randint(ID_LOW, ID_HIGH, (BATCH_SIZE, SEQ_LEN), generator=g, dtype=torch.long)
    ids[:, 0] = 1                                    # BOS
    labels = ids.clone()
    for b, pos in enumerate(MASKED):
        labels[b, pos] = -100
    # shifted form: targets[b, t] is the token position t must predict
    targets = torch.full_like(labels, -100)
    targets[:, :-1] = labels[:, 1:]
    return ids, labels, targets


def batch_json(ids, labels, targets):
    lines = ["{"]
    for key, t in (("input_ids", ids), ("labels", labels), ("targets", targets)):
        rows = ",\n  ".join("[" + ", ".join(str(int(x)) for x in row) + "]" for row in t)
        lines.append(f' "{key}": [\n  {rows}\n ],')
    n = int((targets != -100).sum())
    lines.append(f' "n_target_tokens": {n}')
    lines.append("}")
    return "\n".join(lines) + "\n"


# ---------------------------------------------------------------- transformers / PEFT side
def load_base(fx, replace=None):
    """the base model; @replace: weight name -> tensor put in its place (QLoRA)"""
    m = fx["cls"].from_pretrained(MODELS / fx["name"], torch_dtype=torch.float32,
                                  attn_implementation="eager")
    if replace is not None:
        with torch.no_grad():
            for k, v in replace.items():
                m.get_parameter(k).copy_(v)
    return m


def lora_config():
    return LoraConfig(r=LORA_R, lora_alpha=LORA_ALPHA, lora_dropout=0.0,
                      target_modules=list(ALL_TARGETS), bias="none",
                      task_type="CAUSAL_LM", use_rslora=False)


def make_peft(fx, replace=None, depth=3):
    """@depth: folders between the saved adapter and tests/reference"""
    model = get_peft_model(load_base(fx, replace), lora_config())
    model.peft_config["default"].base_model_name_or_path = "../" * depth + f"models/{fx['name']}"
    g = torch.Generator().manual_seed(fx["seed"])
    n = 0
    with torch.no_grad():
        for name, p in sorted(model.named_parameters()):
            if ".lora_A." in name:
                p.copy_(torch.randn(p.shape, generator=g, dtype=torch.float32) * A_STD)
                n += 1
            elif ".lora_B." in name:
                p.copy_(torch.randn(p.shape, generator=g, dtype=torch.float32) * B_STD)
                n += 1
    assert n == 2 * len(ALL_TARGETS) * model.config.num_hidden_layers, n
    for mod in model.modules():
        if hasattr(mod, "scaling") and isinstance(mod.scaling, dict) and "default" in mod.scaling:
            assert mod.scaling["default"] == SCALING, mod.scaling
        if hasattr(mod, "lora_dropout") and "default" in getattr(mod, "lora_dropout", {}):
            assert isinstance(mod.lora_dropout["default"], torch.nn.Identity)
    trainable = [n for n, p in model.named_parameters() if p.requires_grad]
    assert all(".lora_A." in n or ".lora_B." in n for n in trainable), trainable
    model.train()
    return model


def peft_name(param_name):
    """base_model.model.model.layers.0.self_attn.q_proj.lora_A.default.weight ->
    base_model.model.model.layers.0.self_attn.q_proj.lora_A.weight (PEFT's file name)"""
    assert ".default." in param_name, param_name
    return param_name.replace(".default.", ".")


def lora_params(model):
    return [(peft_name(n), p) for n, p in model.named_parameters() if p.requires_grad]


def tidy_adapter_config(path):
    """PEFT writes target_modules from a Python set; sort list values so the
    file does not depend on the hash seed (same as ../adapters)."""
    cfg = json.loads(path.read_text())
    for k, v in cfg.items():
        if isinstance(v, list) and all(isinstance(x, str) for x in v):
            cfg[k] = sorted(v)
    path.write_text(json.dumps(cfg, indent=2, sort_keys=True))
    return cfg


def save_adapter(model, d):
    model.save_pretrained(d, safe_serialization=True, save_embedding_layers=False)
    (d / "README.md").unlink(missing_ok=True)
    cfg = tidy_adapter_config(d / "adapter_config.json")
    assert cfg["r"] == LORA_R and cfg["lora_alpha"] == LORA_ALPHA
    assert cfg["lora_dropout"] == 0.0 and not cfg["use_rslora"]
    saved = safetensors.torch.load_file(str(d / "adapter_model.safetensors"))
    mine = {n: p.detach() for n, p in lora_params(model)}
    assert sorted(saved) == sorted(mine), (sorted(saved)[:3], sorted(mine)[:3])
    for k in saved:
        assert torch.equal(saved[k], mine[k]), k


def hf_loss(model, ids, labels):
    out = model(input_ids=ids, labels=labels, use_cache=False)
    return out.loss, out.logits


def hf_adamw(model, ids, labels, max_norm, first_grads):
    """torch.optim.AdamW + clip_grad_norm_ for K_STEPS on the same batch"""
    params = [p for _, p in lora_params(model)]
    opt = torch.optim.AdamW(params, lr=LR, betas=BETAS, eps=ADAM_EPS, weight_decay=WEIGHT_DECAY)
    steps = []
    for k in range(K_STEPS):
        opt.zero_grad(set_to_none=True)
        l, _ = hf_loss(model, ids, labels)
        l.backward()
        if k == 0:
            for n, p in lora_params(model):
                assert torch.equal(p.grad, first_grads[n]), n
        norm = float(torch.nn.utils.clip_grad_norm_(params, max_norm))
        opt.step()
        steps.append({"step": k + 1, "loss": f32(l.item()), "grad_norm_before_clip": f32(norm),
                      "clip_coef": min(1.0, max_norm / (f32(norm) + CLIP_EPS))})
    with torch.no_grad():
        final = hf_loss(model, ids, labels)[0].item()
    return steps, final, {n: p.detach().clone() for n, p in lora_params(model)}


def save_tensors(tensors, path):
    safetensors.torch.save_file({k: v.detach().contiguous() for k, v in sorted(tensors.items())},
                                str(path), metadata={"format": "pt"})


def f32(x):
    """the exact value of a float32 scalar, as a Python float (round-trips)"""
    return float(np.float32(x))


# ---------------------------------------------------------------- independent implementation
def read_weights(name, dtype):
    cfg = json.loads((MODELS / name / "config.json").read_text())
    W = safetensors.torch.load_file(str(MODELS / name / "model.safetensors"))
    return cfg, {k: v.to(dtype) for k, v in W.items()}


def read_adapter(d, dtype):
    cfg = json.loads((d / "adapter_config.json").read_text())
    T = safetensors.torch.load_file(str(d / "adapter_model.safetensors"))
    lora = {}
    for k in T:
        if k.endswith(".lora_A.weight"):
            mod = k[len(PEFT_PREFIX):-len(".lora_A.weight")]
            lora[mod] = [T[k].to(dtype), T[k.replace(".lora_A.", ".lora_B.")].to(dtype)]
    return cfg["lora_alpha"] / cfg["r"], lora


def ref_forward(cfg, W, ids, lora=None, scaling=0.0, merged=None):
    """Plain Llama / Qwen2 forward.  W: transformers names -> tensors,
    lora: module name -> [A, B], merged: weight name -> replacement tensor."""
    H = cfg["hidden_size"]
    nh, nkv = cfg["num_attention_heads"], cfg["num_key_value_heads"]
    hd = cfg.get("head_dim") or H // nh
    eps, theta = cfg["rms_norm_eps"], cfg["rope_theta"]
    assert cfg.get("rope_scaling") is None
    Bsz, T = ids.shape
    dt = W["model.embed_tokens.weight"].dtype

    def w(name):
        return merged[name] if merged is not None and name in merged else W[name]

    def lin(x, mod):
        y = x @ w(mod + ".weight").T
        if mod + ".bias" in W:
            y = y + W[mod + ".bias"]
        if lora is not None and mod in lora:
            A, B = lora[mod]
            y = y + scaling * ((x @ A.T) @ B.T)
        return y

    def rms(x, wt):
        return wt * (x * torch.rsqrt((x * x).mean(-1, keepdim=True) + eps))

    inv = 1.0 / theta ** (torch.arange(0, hd, 2, dtype=torch.float64) / hd)
    ang = torch.arange(T, dtype=torch.float64)[:, None] * inv[None, :]
    cos, sin = torch.cos(ang).to(dt), torch.sin(ang).to(dt)

    def rope(x):                                     # rotate-half pairing (i, i + hd/2)
        x1, x2 = x[..., : hd // 2], x[..., hd // 2:]
        return torch.cat([x1 * cos - x2 * sin, x2 * cos + x1 * sin], dim=-1)

    causal = torch.full((T, T), float("-inf"), dtype=dt).triu(1)
    x = w("model.embed_tokens.weight")[ids]
    for l in range(cfg["num_hidden_layers"]):
        p = f"model.layers.{l}."
        h = rms(x, w(p + "input_layernorm.weight"))
        q = lin(h, p + "self_attn.q_proj").view(Bsz, T, nh, hd).transpose(1, 2)
        k = lin(h, p + "self_attn.k_proj").view(Bsz, T, nkv, hd).transpose(1, 2)
        v = lin(h, p + "self_attn.v_proj").view(Bsz, T, nkv, hd).transpose(1, 2)
        q, k = rope(q), rope(k)
        k = k.repeat_interleave(nh // nkv, dim=1)    # q head j uses kv head j // (nh/nkv)
        v = v.repeat_interleave(nh // nkv, dim=1)
        a = torch.softmax(q @ k.transpose(-1, -2) / math.sqrt(hd) + causal, dim=-1)
        o = (a @ v).transpose(1, 2).reshape(Bsz, T, nh * hd)
        x = x + lin(o, p + "self_attn.o_proj")
        h = rms(x, w(p + "post_attention_layernorm.weight"))
        x = x + lin(F.silu(lin(h, p + "mlp.gate_proj")) * lin(h, p + "mlp.up_proj"), p + "mlp.down_proj")
    x = rms(x, w("model.norm.weight"))
    return x @ w("lm_head.weight").T


def ref_loss(logits, targets):
    """sum over all unmasked targets of the batch / their count"""
    lp = torch.log_softmax(logits, dim=-1)
    keep = targets != -100
    picked = lp.gather(-1, targets.clamp(min=0).unsqueeze(-1)).squeeze(-1)
    return -(picked * keep).sum() / keep.sum()


def ref_lora_loss_grads(cfg, W, lora, scaling, ids, targets):
    leaves = {m: [A.detach().clone().requires_grad_(True), B.detach().clone().requires_grad_(True)]
              for m, (A, B) in lora.items()}
    loss = ref_loss(ref_forward(cfg, W, ids, leaves, scaling), targets)
    loss.backward()
    grads = {}
    for m, (A, B) in leaves.items():
        grads[PEFT_PREFIX + m + ".lora_A.weight"] = A.grad
        grads[PEFT_PREFIX + m + ".lora_B.weight"] = B.grad
    return loss.detach(), grads


def ref_adamw(cfg, W, lora, scaling, ids, targets, steps, max_norm):
    """hand-written clip_grad_norm_(1.0) + AdamW, same maths as torch's"""
    params = {}
    for m, (A, B) in lora.items():
        params[PEFT_PREFIX + m + ".lora_A.weight"] = A.clone()
        params[PEFT_PREFIX + m + ".lora_B.weight"] = B.clone()
    mom = {k: torch.zeros_like(v) for k, v in params.items()}
    vel = {k: torch.zeros_like(v) for k, v in params.items()}
    b1, b2 = BETAS
    log = []
    for t in range(1, steps + 1):
        cur = {m: [params[PEFT_PREFIX + m + ".lora_A.weight"], params[PEFT_PREFIX + m + ".lora_B.weight"]]
               for m in lora}
        loss, g = ref_lora_loss_grads(cfg, W, cur, scaling, ids, targets)
        norm = torch.sqrt(sum((x * x).sum() for x in g.values()))
        coef = min(1.0, max_norm / (float(norm) + CLIP_EPS))
        log.append((float(loss), float(norm)))
        for k in params:
            gk = g[k] * coef
            params[k] = params[k] * (1 - LR * WEIGHT_DECAY)
            mom[k] = b1 * mom[k] + (1 - b1) * gk
            vel[k] = b2 * vel[k] + (1 - b2) * gk * gk
            mhat = mom[k] / (1 - b1 ** t)
            vhat = vel[k] / (1 - b2 ** t)
            params[k] = params[k] - LR * mhat / (torch.sqrt(vhat) + ADAM_EPS)
    cur = {m: [params[PEFT_PREFIX + m + ".lora_A.weight"], params[PEFT_PREFIX + m + ".lora_B.weight"]]
           for m in lora}
    with torch.no_grad():
        final = float(ref_loss(ref_forward(cfg, W, ids, cur, scaling), targets))
    return params, log, final


def ref_full_loss_grads(cfg, W, ids, targets):
    leaves = {k: v.detach().clone().requires_grad_(True) for k, v in W.items()}
    loss = ref_loss(ref_forward(cfg, leaves, ids), targets)
    loss.backward()
    return loss.detach(), {k: v.grad for k, v in leaves.items()}


def rel_err(a, ref):
    a, ref = a.double(), ref.double()
    return float((a - ref).abs().max() / ref.abs().max())


def worst_rel(grads, ref):
    assert sorted(grads) == sorted(ref)
    return max(rel_err(grads[k], ref[k]) for k in ref)


def max_abs(a, ref):
    assert sorted(a) == sorted(ref)
    return max(float((a[k].double() - ref[k].double()).abs().max()) for k in ref)


def diffs_vs_independent(ref, stored):
    """the stored float32 results (loss, LoRA grads, adapter after K steps,
    per-step log, final loss) against the independent implementation's"""
    rl, rg, rp, rlog, rfinal = ref
    loss0, grads, after, steps, final = stored
    return {"loss_abs": abs(float(rl) - loss0),
            "lora_grad_rel": worst_rel(rg, grads),
            "after_3_steps_abs": max_abs(rp, after),
            "step_loss_abs": max(abs(a[0] - s["loss"]) for a, s in zip(rlog, steps)),
            "grad_norm_rel": max(abs(a[1] - s["grad_norm_before_clip"]) / a[1] for a, s in zip(rlog, steps)),
            "final_loss_abs": abs(rfinal - final)}


def check_independent(name, tag, m, meas):
    """the differences @m from the independent implementation in @tag, each
    within the tolerance the C engine is told to use; recorded in @meas"""
    for key, v in m.items():
        tol = (GRAD_REL_TOL if "grad_rel" in key else
               STEP_ABS_TOL if "steps" in key else
               LOSS_ABS_TOL if "loss" in key else 1e-4)
        assert v <= tol, f"{name}: independent {tag} {key} = {v} > {tol}"
        meas[f"{key}_vs_independent_{tag}"] = v


def self_checks_f64(cfg, W, lora, scaling, ids, targets, lora_grads, full):
    """finite differences (error relative to the tensor's max |grad|) and the
    merged-weight identity, all in float64"""
    out = {}
    # (1) LoRA grads from the merged-weight gradient G: dA = s B^T G, dB = s G A^T
    merged = {}
    for m, (A, B) in lora.items():
        merged[m + ".weight"] = (W[m + ".weight"] + scaling * (B @ A)).requires_grad_(True)
    loss = ref_loss(ref_forward(cfg, W, ids, merged=merged), targets)
    loss.backward()
    worst = 0.0
    for m, (A, B) in lora.items():
        G = merged[m + ".weight"].grad
        worst = max(worst, rel_err(scaling * B.T @ G, lora_grads[PEFT_PREFIX + m + ".lora_A.weight"]),
                    rel_err(scaling * G @ A.T, lora_grads[PEFT_PREFIX + m + ".lora_B.weight"]))
    assert worst < 1e-10, f"merged-weight identity off by {worst}"
    out["merged_weight_identity_f64"] = worst
    # (2) central finite differences on a few elements
    h = 1e-5
    fd_worst = 0.0

    def lossfn(lo=None, Wx=None):
        with torch.no_grad():
            return float(ref_loss(ref_forward(cfg, Wx or W, ids, lo, scaling), targets))

    mods = sorted(lora)
    for i, (mod, which, r, c) in enumerate([(mods[0], 0, 1, 5), (mods[3], 1, 7, 2),
                                            (mods[-1], 0, 3, 40), (mods[-2], 1, 11, 0)]):
        name = PEFT_PREFIX + mod + (".lora_A.weight" if which == 0 else ".lora_B.weight")
        vals = []
        for sgn in (+1, -1):
            lo = {m: [A.clone(), B.clone()] for m, (A, B) in lora.items()}
            lo[mod][which][r, c] += sgn * h
            vals.append(lossfn(lo))
        fd = (vals[0] - vals[1]) / (2 * h)
        an = float(lora_grads[name][r, c])
        fd_worst = max(fd_worst, abs(fd - an) / float(lora_grads[name].abs().max()))
    if full is not None:
        for name, r, c in [("model.embed_tokens.weight", None, None), ("model.layers.0.input_layernorm.weight", 3, None),
                           ("model.layers.1.self_attn.k_proj.weight", 5, 9), ("lm_head.weight", 17, 33)]:
            if r is None:                            # an embedding row that is used
                r, c = int(ids[0, 5]), 10
            vals = []
            for sgn in (+1, -1):
                Wx = dict(W)
                t = W[name].clone()
                if c is None:
                    t[r] += sgn * h
                else:
                    t[r, c] += sgn * h
                Wx[name] = t
                with torch.no_grad():
                    vals.append(float(ref_loss(ref_forward(cfg, Wx, ids), targets)))
            fd = (vals[0] - vals[1]) / (2 * h)
            an = float(full[name][r] if c is None else full[name][r, c])
            fd_worst = max(fd_worst, abs(fd - an) / float(full[name].abs().max()))
    assert fd_worst < 1e-6, f"finite differences off by {fd_worst}"
    out["finite_difference_f64"] = fd_worst

    # (3) how large typical engine bugs are, against the correct float64 grads
    def bug_grads(loss_fn, sc=scaling):
        leaves = {m: [A.clone().requires_grad_(True), B.clone().requires_grad_(True)]
                  for m, (A, B) in lora.items()}
        loss_fn(ref_forward(cfg, W, ids, leaves, sc)).backward()
        return {PEFT_PREFIX + m + s: t.grad for m, (A, B) in leaves.items()
                for s, t in ((".lora_A.weight", A), (".lora_B.weight", B))}

    def per_seq_mean(logits):
        return sum(ref_loss(logits[b:b + 1], targets[b:b + 1]) for b in range(len(ids))) / len(ids)

    unmasked = torch.full_like(targets, -100)
    unmasked[:, :-1] = ids[:, 1:]
    out["bug_mean_of_sequence_means_grad_rel"] = worst_rel(bug_grads(per_seq_mean), lora_grads)
    out["bug_prompt_not_masked_grad_rel"] = worst_rel(
        bug_grads(lambda lg: ref_loss(lg, unmasked)), lora_grads)
    out["bug_scaling_1_not_2_grad_rel"] = worst_rel(
        bug_grads(lambda lg: ref_loss(lg, targets), 1.0), lora_grads)
    return out


# ---------------------------------------------------------------- NF4 (QLoRA)
def nf4_levels_from_quantiles():
    """QLoRA's construction of the levels (bitsandbytes' create_normal_map(0.9677083)):
    8 positive and 7 negative quantiles of N(0, 1) and 0, scaled to [-1, 1]; float64"""
    offset = 0.9677083
    pos = torch.special.ndtri(torch.linspace(offset, 0.5, 9, dtype=torch.float64)[:-1])
    neg = -torch.special.ndtri(torch.linspace(offset, 0.5, 8, dtype=torch.float64)[:-1])
    v = torch.cat([pos, torch.zeros(1, dtype=torch.float64), neg]).sort().values
    return (v / v.max()).numpy()


def nf4_quantize(w):
    """w (rows, cols) float32 -> (bytes (rows, n_blocks * 36) uint8, levels (rows, cols)).
    Each row in blocks of 64, the last one short when cols is not a multiple of 64:
    absmax = max |x| of the block, v = x / absmax in float32, the level nearest to v
    (distances in float64, where they are exact; a tie goes to the lower level; a
    block of zeros has absmax 0 and level 7), two levels a byte with the even
    element in the high nibble, a short block padded with level 7."""
    w = np.ascontiguousarray(w, dtype=np.float32)
    rows, cols = w.shape
    nb = -(-cols // NF4_BLOCK)
    x = np.zeros((rows, nb * NF4_BLOCK), np.float32)
    x[:, :cols] = w
    x = x.reshape(rows, nb, NF4_BLOCK)
    absmax = np.abs(x).max(axis=-1)                      # the zero padding changes nothing
    with np.errstate(invalid="ignore", divide="ignore"):
        v = np.where(absmax[..., None] > 0, x / absmax[..., None], np.float32(0))
    assert v.dtype == np.float32
    v64, lv64 = v.astype(np.float64), NF4_LEVELS.astype(np.float64)
    q = np.abs(v64[..., None] - lv64).argmin(axis=-1)    # the first minimum: the lower level
    # the same levels by counting the midpoints below v
    assert np.array_equal(q, (v64[..., None] > (lv64[:-1] + lv64[1:]) / 2).sum(axis=-1))
    q = q.reshape(rows, nb * NF4_BLOCK)
    q[:, cols:] = NF4_ZERO
    q = q.reshape(rows, nb, NF4_BLOCK)
    nibbles = ((q[..., 0::2] << 4) | q[..., 1::2]).astype(np.uint8)
    scale = absmax.astype("<f4").view(np.uint8).reshape(rows, nb, 4)
    packed = np.concatenate([scale, nibbles], axis=-1).reshape(rows, nb * NF4_BLOCK_BYTES)
    return packed, q.reshape(rows, nb * NF4_BLOCK)[:, :cols]


def nf4_dequantize(packed, cols):
    """the bytes back to float32 (rows, cols): level * absmax, one float32 product"""
    rows = packed.shape[0]
    blocks = packed.reshape(rows, -1, NF4_BLOCK_BYTES)
    absmax = blocks[..., :4].copy().view("<f4")          # (rows, n_blocks, 1)
    nib = blocks[..., 4:].astype(np.int64)
    q = np.empty(nib.shape[:-1] + (NF4_BLOCK,), np.int64)
    q[..., 0::2], q[..., 1::2] = nib >> 4, nib & 15
    x = NF4_LEVELS[q] * absmax
    assert x.dtype == np.float32
    return x.reshape(rows, -1)[:, :cols], q.reshape(rows, -1)[:, :cols]


def is_projection(name):
    return name.startswith("model.layers.") and name.endswith(tuple(f".{t}.weight" for t in ALL_TARGETS))


def nf4_projections(name):
    """{projection name: dequantised float32 tensor}, the packed bytes of
    NF4_BYTES_TENSOR, and the worst |dequantised - original| / absmax"""
    W = safetensors.torch.load_file(str(MODELS / name / "model.safetensors"))
    half_gap = float(np.diff(NF4_LEVELS.astype(np.float64)).max()) / 2
    deq, stored, worst = {}, None, 0.0
    for k in sorted(W):
        if not is_projection(k):
            continue
        w = W[k].numpy()
        packed, q = nf4_quantize(w)
        x, q_back = nf4_dequantize(packed, w.shape[1])
        assert np.array_equal(q_back, q), k
        assert packed.shape == (w.shape[0], -(-w.shape[1] // NF4_BLOCK) * NF4_BLOCK_BYTES)
        rows, cols = w.shape
        pad = np.zeros((rows, packed.shape[1] // NF4_BLOCK_BYTES * NF4_BLOCK), np.float32)
        pad[:, :cols] = np.abs(w)
        absmax = np.repeat(pad.reshape(rows, -1, NF4_BLOCK).max(-1), NF4_BLOCK, axis=1)[:, :cols]
        err = float((np.abs(x.astype(np.float64) - w) / absmax).max())
        assert err <= half_gap * (1 + 1e-6), (k, err, half_gap)
        worst = max(worst, err)
        deq[k] = torch.from_numpy(np.ascontiguousarray(x))
        if k == NF4_BYTES_TENSOR:
            stored = packed
    assert len(deq) == len(ALL_TARGETS) * json.loads((MODELS / name / "config.json").read_text())["num_hidden_layers"]
    return deq, stored, worst


def build_qlora(fx, d, ids, labels, targets, lora_loss, lora_grads, lora_after):
    """<base>/qlora/: the LoRA fixture again, on the NF4-quantised projections"""
    name = fx["name"]
    qd = d / QLORA_DIR
    qd.mkdir()
    derived = nf4_levels_from_quantiles()
    levels_vs_quantiles = float(np.abs(derived - NF4_LEVELS.astype(np.float64)).max())
    assert levels_vs_quantiles < 2e-7, levels_vs_quantiles
    deq, packed, nf4_err = nf4_projections(name)
    (qd / NF4_BYTES_FILE).write_bytes(packed.tobytes())

    # transformers + PEFT on the dequantised weights, the same initial adapter
    model = make_peft(fx, deq, depth=4)
    init = safetensors.torch.load_file(str(d / "initial-adapter" / "adapter_model.safetensors"))
    assert all(torch.equal(p.detach(), init[n]) for n, p in lora_params(model))
    model.zero_grad(set_to_none=True)
    loss, _ = hf_loss(model, ids, labels)
    loss.backward()
    grads = {n: p.grad.detach().clone() for n, p in lora_params(model)}
    assert all(float(g.abs().max()) > 0 for g in grads.values())
    save_tensors(grads, qd / "grads.safetensors")
    loss0 = loss.item()
    steps, final, after = hf_adamw(model, ids, labels, MAX_GRAD_NORM, grads)
    assert all(s["grad_norm_before_clip"] < MAX_GRAD_NORM for s in steps)
    save_adapter(model, qd / "after-3-steps")
    re = PeftModel.from_pretrained(load_base(fx, deq), qd / "after-3-steps")
    got = {peft_name(n): p.detach() for n, p in re.named_parameters() if ".lora_" in n}
    assert all(torch.equal(got[n], after[n]) for n in after)

    # the independent implementation on the same dequantised weights
    meas, ref64 = {}, None
    for dt, tag in ((torch.float64, "f64"), (torch.float32, "f32")):
        cfg, W = read_weights(name, dt)
        W.update({k: v.to(dt) for k, v in deq.items()})
        scaling, lora = read_adapter(d / "initial-adapter", dt)
        rl, rg = ref_lora_loss_grads(cfg, W, lora, scaling, ids, targets)
        rp, rlog, rfinal = ref_adamw(cfg, W, lora, scaling, ids, targets, K_STEPS, MAX_GRAD_NORM)
        m = diffs_vs_independent((rl, rg, rp, rlog, rfinal), (loss0, grads, after, steps, final))
        check_independent(f"{name} qlora", tag, m, meas)
        if dt == torch.float64:
            ref64 = {"loss": float(rl), "steps": rlog, "final": rfinal}

    # QLoRA must be told apart from LoRA by the tolerances the C tests use
    vs_lora = {"loss_abs": abs(loss0 - lora_loss), "grad_rel": worst_rel(grads, lora_grads),
               "after_3_steps_abs": max_abs(after, lora_after)}
    assert vs_lora["loss_abs"] > 10 * LOSS_ABS_TOL, vs_lora
    assert vs_lora["grad_rel"] > 10 * GRAD_REL_TOL, vs_lora
    meas.update({"nf4_levels_vs_quantiles": levels_vs_quantiles, "nf4_max_error_over_absmax": nf4_err})
    meas.update({f"{k}_qlora_vs_lora": v for k, v in vs_lora.items()})

    rows, cols = packed.shape[0], deq[NF4_BYTES_TENSOR].shape[1]
    doc = {
        "base_model": f"../../../models/{name}", "initial_adapter": "../initial-adapter",
        "batch": "../batch.json", "n_target_tokens": int((targets != -100).sum()),
        "quantised": {"format": "nf4", "tensors": "model.layers.*.{self_attn.{q,k,v,o},mlp.{gate,up,down}}_proj.weight",
                      "block": NF4_BLOCK, "block_bytes": NF4_BLOCK_BYTES,
                      "layout": "per row: blocks of 64 (the last may be short), each f32 absmax (LE) "
                                "+ 32 bytes, element 2i in the high nibble of byte i, 2i+1 in the low; "
                                "a short block padded with level 7",
                      "levels": [float(x) for x in NF4_LEVELS],
                      "rounding": "nearest level to x / absmax (an f32 division), ties to the lower level",
                      "dequantised": "levels[q] * absmax, one f32 product"},
        "nf4_bytes": {"file": NF4_BYTES_FILE, "tensor": NF4_BYTES_TENSOR, "rows": rows, "cols": cols,
                      "row_bytes": packed.shape[1]},
        "loss": f32(loss0), "loss_f64": ref64["loss"],
        "steps": [dict(s, loss_f64=r[0], grad_norm_before_clip_f64=r[1]) for s, r in zip(steps, ref64["steps"])],
        "loss_after_3_steps": f32(final), "loss_after_3_steps_f64": ref64["final"],
        "lora_loss": f32(lora_loss),
    }
    (qd / "loss.json").write_text(json.dumps(doc, indent=1) + "\n")
    return {"loss": f32(loss0), "loss_after_3_steps": f32(final),
            "grad_norms_before_clip": [s["grad_norm_before_clip"] for s in steps],
            "measured": {k: fmt(v) for k, v in meas.items()}}


# ---------------------------------------------------------------- build
def fmt(x):
    return float(f"{x:.3g}")


def build(out):
    torch.set_num_threads(1)
    torch.use_deterministic_algorithms(True)
    out.mkdir(parents=True, exist_ok=True)
    ids, labels, targets = make_batch()
    n_tok = int((targets != -100).sum())
    manifest = {"generator": {
        "python": sys.version.split()[0], "torch": torch.__version__,
        "transformers": transformers.__version__, "peft": peft.__version__,
        "safetensors": safetensors.__version__, "numpy": np.__version__},
        "tolerances": {"grad_rel": GRAD_REL_TOL, "loss_abs": LOSS_ABS_TOL,
                       "after_k_steps_abs": STEP_ABS_TOL},
        "fixtures": []}

    for fx in FIXTURES:
        torch.manual_seed(fx["seed"])
        name = fx["name"]
        d = out / name
        if d.exists():
            shutil.rmtree(d)
        d.mkdir(parents=True)
        (d / "batch.json").write_text(batch_json(ids, labels, targets))
        info = {"name": name, "base_model": f"../models/{name}", "seed": fx["seed"]}

        # the base really is the committed one
        bdir = MODELS / name
        inp = json.loads((bdir / "inputs.json").read_text())
        base_ref = np.fromfile(bdir / "logits.bin", dtype="<f4").reshape(inp["seq_len"], inp["vocab_size"])
        with torch.no_grad():
            now = load_base(fx).eval()(torch.tensor([inp["input_ids"]]), use_cache=False).logits[0].numpy()
        dbase = float(np.abs(now - base_ref).max())
        assert dbase <= BASE_TOL, f"{name}: base logits differ by {dbase}"

        # ---- 1/2: initial adapter, loss, LoRA gradients (transformers + PEFT, f32)
        model = make_peft(fx)
        save_adapter(model, d / "initial-adapter")
        model.zero_grad(set_to_none=True)
        loss, logits = hf_loss(model, ids, labels)
        loss.backward()
        grads = {n: p.grad.detach().clone() for n, p in lora_params(model)}
        assert all(float(g.abs().max()) > 0 for g in grads.values()), "a LoRA gradient is all zero"
        save_tensors(grads, d / "grads.safetensors")
        loss0 = loss.item()
        with torch.no_grad():
            mine = float(ref_loss(logits.double(), targets))
            lp = torch.log_softmax(logits.double(), -1)
            per_seq = []
            for b in range(BATCH_SIZE):
                keep = targets[b] != -100
                per_seq.append(float(-lp[b][keep].gather(-1, targets[b][keep].unsqueeze(-1)).mean()))
        assert abs(mine - loss0) < 1e-6, (mine, loss0)
        wrong = sum(per_seq) / len(per_seq)
        assert abs(wrong - loss0) > 1e-3, "batch does not tell the two reductions apart"

        # ---- 4: K AdamW steps on the same batch (clip 1.0), and the clip-0.1 variant
        steps, final, after = hf_adamw(model, ids, labels, MAX_GRAD_NORM, grads)
        save_adapter(model, d / "after-3-steps")
        assert all(s["grad_norm_before_clip"] < MAX_GRAD_NORM for s in steps), \
            "clipping at 1.0 became active: update README"
        vmodel = make_peft(fx)
        vsteps, vfinal, vafter = hf_adamw(vmodel, ids, labels, CLIP_VARIANT, grads)
        assert all(s["grad_norm_before_clip"] > CLIP_VARIANT for s in vsteps), "variant: clipping inactive"
        save_adapter(vmodel, d / VARIANT_DIR)
        clip_effect = max_abs(vafter, after)
        assert clip_effect > 2 * STEP_ABS_TOL, f"{name}: clipping effect {clip_effect} too small to test"

        # reload both adapters through PEFT
        for sub, want in (("initial-adapter", None), ("after-3-steps", after), (VARIANT_DIR, vafter)):
            re = PeftModel.from_pretrained(load_base(fx), d / sub)
            got = {n: p.detach() for n, p in re.named_parameters() if ".lora_" in n}
            got = {peft_name(n): v for n, v in got.items()}
            if want is None:
                with torch.no_grad():
                    l2 = hf_loss(re, ids, labels)[0].item()
                assert l2 == loss0, (l2, loss0)
            else:
                assert all(torch.equal(got[n], want[n]) for n in want)

        # ---- 5: full fine-tuning gradients (llama-gqa)
        full = None
        if fx["full"]:
            base = load_base(fx).train()
            for p in base.parameters():
                p.requires_grad_(True)
            fl, _ = hf_loss(base, ids, labels)
            fl.backward()
            full = {n: p.grad.detach().clone() for n, p in base.named_parameters()}
            stored = safetensors.torch.load_file(str(MODELS / name / "model.safetensors"))
            assert sorted(full) == sorted(stored), "full-FT names differ from model.safetensors"
            save_tensors(full, d / "full-grads.safetensors")
            full_loss = fl.item()

        # ---- independent implementation, float64 and float32
        meas = {}
        ref64 = {}
        for dt, tag in ((torch.float64, "f64"), (torch.float32, "f32")):
            cfg, W = read_weights(name, dt)
            scaling, lora = read_adapter(d / "initial-adapter", dt)
            assert scaling == SCALING
            rl, rg = ref_lora_loss_grads(cfg, W, lora, scaling, ids, targets)
            rp, rlog, rfinal = ref_adamw(cfg, W, lora, scaling, ids, targets, K_STEPS, MAX_GRAD_NORM)
            vp, vlog, vfin = ref_adamw(cfg, W, lora, scaling, ids, targets, K_STEPS, CLIP_VARIANT)
            m = diffs_vs_independent((rl, rg, rp, rlog, rfinal), (loss0, grads, after, steps, final))
            m.update({"clip0.1_after_3_steps_abs": max_abs(vp, vafter),
                      "clip0.1_step_loss_abs": max(abs(a[0] - s["loss"]) for a, s in zip(vlog, vsteps)),
                      "clip0.1_final_loss_abs": abs(vfin - vfinal)})
            if full is not None:
                fl_ref, fg = ref_full_loss_grads(cfg, W, ids, targets)
                m["full_loss_abs"] = abs(float(fl_ref) - full_loss)
                m["full_grad_rel"] = worst_rel(fg, full)
            if dt == torch.float64:
                ref64 = {"loss": float(rl), "steps": rlog, "final": rfinal, "vsteps": vlog, "vfinal": vfin,
                         "full_loss": float(fl_ref) if full is not None else None}
                meas.update(self_checks_f64(cfg, W, lora, scaling, ids, targets, rg,
                                            fg if full is not None else None))
            check_independent(name, tag, m, meas)
        # how far the adapter actually moved
        moved = max_abs(after, {n: p for n, p in
                                safetensors.torch.load_file(str(d / "initial-adapter" / "adapter_model.safetensors")).items()})
        assert moved > 100 * STEP_ABS_TOL

        loss_doc = {
            "reduction": "mean over all unmasked target tokens of the whole batch "
                         "(sum of -log p over the n_target_tokens targets / n_target_tokens)",
            "n_target_tokens": n_tok,
            "loss": f32(loss0),
            "loss_f64": ref64["loss"],
            "wrong_mean_of_per_sequence_means": wrong,
            "per_sequence_mean": per_seq,
            "lora": {"r": LORA_R, "lora_alpha": LORA_ALPHA, "scaling": SCALING,
                     "lora_A_std": A_STD, "lora_B_std": B_STD, "seed": fx["seed"]},
            "optimizer": {"name": "torch.optim.AdamW", "lr": LR, "betas": list(BETAS), "eps": ADAM_EPS,
                          "weight_decay": WEIGHT_DECAY, "clip_grad_norm": MAX_GRAD_NORM,
                          "clip_eps": CLIP_EPS, "steps": K_STEPS},
            "steps": [dict(s, loss_f64=r[0], grad_norm_before_clip_f64=r[1])
                      for s, r in zip(steps, ref64["steps"])],
            "loss_after_3_steps": f32(final),
            "loss_after_3_steps_f64": ref64["final"],
            "clip0.1_variant": {
                "folder": VARIANT_DIR, "clip_grad_norm": CLIP_VARIANT,
                "steps": [dict(s, loss_f64=r[0], grad_norm_before_clip_f64=r[1])
                          for s, r in zip(vsteps, ref64["vsteps"])],
                "loss_after_3_steps": f32(vfinal),
                "loss_after_3_steps_f64": ref64["vfinal"],
                "max_abs_diff_vs_after_3_steps": clip_effect},
        }
        if full is not None:
            loss_doc["full_finetune"] = {"loss": f32(full_loss), "loss_f64": ref64["full_loss"],
                                         "note": "base model without adapter, every weight trainable"}
        (d / "loss.json").write_text(json.dumps(loss_doc, indent=1) + "\n")

        info.update({"loss": f32(loss0), "loss_after_3_steps": f32(final),
                     "grad_norms_before_clip": [s["grad_norm_before_clip"] for s in steps],
                     "adapter_max_change_3_steps": fmt(moved),
                     "base_model_vs_its_logits_bin": fmt(dbase)})
        if full is not None:
            info["full_finetune_loss"] = f32(full_loss)
        info["measured"] = {k: fmt(v) for k, v in meas.items()}

        # ---- QLoRA: the same on the NF4-quantised projections
        info["qlora"] = build_qlora(fx, d, ids, labels, targets, loss0, grads, after)
        manifest["fixtures"].append(info)
    (out / "manifest.json").write_text(json.dumps(manifest, indent=1) + "\n")
    return manifest


GENERATED = {"manifest.json", "llama-gqa", "qwen2"}


def compare_trees(a, b):
    bad = []
    for top in sorted(GENERATED):
        for side, other in ((Path(a), Path(b)), (Path(b), Path(a))):
            p = side / top
            files = [p] if p.is_file() else [Path(r) / f for r, _, fs in os.walk(p) for f in fs]
            if not p.exists():
                bad.append(f"{top} (missing)")
                continue
            for f in files:
                o = other / f.relative_to(side)
                if not o.exists() or not filecmp.cmp(f, o, shallow=False):
                    bad.append(str(f.relative_to(side)))
    return sorted(set(bad))


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
        print("all training fixtures reproduced byte for byte")
        return 0
    manifest = build(args.out)
    print(json.dumps(manifest, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
