#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Build the LoRA adapter reference fixtures for Whetstone.

Each fixture is a Hugging Face PEFT LoRA adapter (PEFT's own
adapter_config.json + adapter_model.safetensors, written by
PeftModel.save_pretrained) for one of the tiny random base models in
../models/, plus the logits that PEFT computes for the base model's
input_ids with the adapter active.  The C engine must reproduce them.

    python3 tests/reference/adapters/make-fixtures.py            # rebuild in place
    python3 tests/reference/adapters/make-fixtures.py --out DIR  # build elsewhere
    python3 tests/reference/adapters/make-fixtures.py --check    # build in a temp dir, compare bytes

PEFT initialises lora_B to zero, so a fresh adapter is a no-op.  The script
overwrites every lora_A and lora_B with seeded N(0, 0.1^2) values so that the
adapter moves the logits clearly.

Checks (the script stops on failure):

  * the base model, loaded from ../models/<name>, reproduces that folder's
    logits.bin (so the adapters sit on exactly the committed base);
  * PEFT's merge_and_unload() gives the same logits to within 1e-5;
  * reloading the saved folder with PeftModel.from_pretrained gives the
    same logits to within 1e-5;
  * an independent merge, done here from the saved files only
    (W += scale * B @ A in float64, scale = alpha/r or alpha/sqrt(r) for
    rsLoRA), gives the same logits to within 1e-5.  This pins down the
    tensor names, the shapes and the scaling an engine has to use.

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
import transformers
import safetensors
import safetensors.torch
import peft
from peft import LoraConfig, PeftModel, get_peft_model
from transformers import LlamaForCausalLM, Qwen2ForCausalLM

HERE = Path(__file__).resolve().parent
MODELS = HERE.parent / "models"

ALL_TARGETS = ["q_proj", "k_proj", "v_proj", "o_proj",
               "gate_proj", "up_proj", "down_proj"]
INIT_STD = 0.1          # std of the re-randomised lora_A / lora_B values
CHECK_TOL = 1e-5        # merge / reload / independent merge vs PEFT logits
BASE_TOL = 1e-5         # base model vs ../models/<base>/logits.bin
ENGINE_TOL = 1e-4       # what the C tests should use (documented only)

FIXTURES = [
    {"name": "llama-gqa-lora", "base": "llama-gqa", "cls": LlamaForCausalLM,
     "r": 4, "alpha": 8, "rslora": False, "targets": ALL_TARGETS, "seed": 101},
    {"name": "llama-gqa-rslora", "base": "llama-gqa", "cls": LlamaForCausalLM,
     "r": 8, "alpha": 16, "rslora": True, "targets": ["q_proj", "v_proj"],
     "seed": 102},
    {"name": "qwen2-lora", "base": "qwen2", "cls": Qwen2ForCausalLM,
     "r": 4, "alpha": 16, "rslora": False, "targets": ALL_TARGETS, "seed": 103},
]


def load_base(fx):
    m = fx["cls"].from_pretrained(MODELS / fx["base"], torch_dtype=torch.float32,
                                  attn_implementation="eager")
    return m.eval()


@torch.no_grad()
def logits_of(model, ids):
    out = model(torch.tensor([ids], dtype=torch.long), use_cache=False)
    return out.logits[0].float().numpy().astype("<f4")


def scale_of(r, alpha, rslora):
    return alpha / math.sqrt(r) if rslora else alpha / r


def make_peft(fx):
    base = load_base(fx)
    cfg = LoraConfig(r=fx["r"], lora_alpha=fx["alpha"], lora_dropout=0.0,
                     target_modules=list(fx["targets"]), bias="none",
                     task_type="CAUSAL_LM", use_rslora=fx["rslora"])
    model = get_peft_model(base, cfg)
    # keep adapter_config.json free of build paths: name the base folder
    # relative to the adapter folder (the same string as base.json)
    model.peft_config["default"].base_model_name_or_path = f"../../models/{fx['base']}"
    g = torch.Generator().manual_seed(fx["seed"])
    n = 0
    with torch.no_grad():
        for name, p in sorted(model.named_parameters()):
            if ".lora_A." in name or ".lora_B." in name:
                p.copy_(torch.randn(p.shape, generator=g, dtype=torch.float32) * INIT_STD)
                n += 1
    assert n == 2 * len(fx["targets"]) * model.config.num_hidden_layers, n
    # PEFT's own scaling must be what the README says
    want = scale_of(fx["r"], fx["alpha"], fx["rslora"])
    for mod in model.modules():
        if hasattr(mod, "scaling") and isinstance(mod.scaling, dict) and "default" in mod.scaling:
            assert abs(mod.scaling["default"] - want) < 1e-12, (mod.scaling, want)
    return model.eval()


def tidy_adapter_config(path):
    """PEFT writes target_modules from a Python set, so its order depends on
    the string hash seed.  Sort list values; keep PEFT's own formatting
    (json.dumps(indent=2, sort_keys=True), no trailing newline)."""
    cfg = json.loads(path.read_text())
    for k, v in cfg.items():
        if isinstance(v, list) and all(isinstance(x, str) for x in v):
            cfg[k] = sorted(v)
    path.write_text(json.dumps(cfg, indent=2, sort_keys=True))
    return cfg


def independent_merge(fx, d, ids):
    """Merge the adapter into a fresh base model using only the saved files."""
    cfg = json.loads((d / "adapter_config.json").read_text())
    scale = scale_of(cfg["r"], cfg["lora_alpha"], cfg.get("use_rslora", False))
    lora = safetensors.torch.load_file(str(d / "adapter_model.safetensors"))
    base = load_base(fx)
    sd = base.state_dict()
    prefix = "base_model.model."
    seen = 0
    for key in sorted(lora):
        if not key.endswith(".lora_A.weight"):
            assert key.endswith(".lora_B.weight"), key
            continue
        A = lora[key].double()
        B = lora[key.replace(".lora_A.", ".lora_B.")].double()
        assert key.startswith(prefix)
        wname = key[len(prefix):].replace(".lora_A.weight", ".weight")
        W = sd[wname]
        assert A.shape == (cfg["r"], W.shape[1]) and B.shape == (W.shape[0], cfg["r"]), key
        sd[wname] = (W.double() + scale * (B @ A)).float()
        seen += 1
    assert seen == len(cfg["target_modules"]) * base.config.num_hidden_layers
    base.load_state_dict(sd)
    return logits_of(base, ids)


def fmt(x):
    return f"{x:.3g}"


def build(out):
    torch.set_num_threads(1)
    torch.use_deterministic_algorithms(True)
    out.mkdir(parents=True, exist_ok=True)
    manifest = {"generator": {
        "python": sys.version.split()[0], "torch": torch.__version__,
        "transformers": transformers.__version__, "peft": peft.__version__,
        "safetensors": safetensors.__version__, "numpy": np.__version__},
        "fixtures": []}

    for fx in FIXTURES:
        torch.manual_seed(fx["seed"])
        name, bdir = fx["name"], MODELS / fx["base"]
        d = out / name
        if d.exists():
            shutil.rmtree(d)
        d.mkdir(parents=True)
        inputs = json.loads((bdir / "inputs.json").read_text())
        ids, V = inputs["input_ids"], inputs["vocab_size"]

        # the base model really is the committed one
        base_ref = np.fromfile(bdir / "logits.bin", dtype="<f4").reshape(len(ids), V)
        base_now = logits_of(load_base(fx), ids)
        dbase = float(np.abs(base_now - base_ref).max())
        assert dbase <= BASE_TOL, f"{name}: base logits differ by {dbase}"

        model = make_peft(fx)
        full = logits_of(model, ids)
        assert full.shape == (len(ids), V)

        model.save_pretrained(d, safe_serialization=True, save_embedding_layers=False)
        (d / "README.md").unlink(missing_ok=True)     # PEFT's model card stub
        cfg = tidy_adapter_config(d / "adapter_config.json")
        assert cfg["peft_type"] == "LORA" and cfg["r"] == fx["r"]
        shutil.copyfile(bdir / "inputs.json", d / "inputs.json")
        (d / "base.json").write_text(json.dumps(
            {"base_model": f"../../models/{fx['base']}"}, indent=1) + "\n")
        full.tofile(d / "logits.bin")

        # reload through PEFT
        re = PeftModel.from_pretrained(load_base(fx), d).eval()
        dreload = float(np.abs(logits_of(re, ids) - full).max())
        assert dreload <= CHECK_TOL, f"{name}: reload differs by {dreload}"
        # PEFT's merge
        merged = model.merge_and_unload()
        dmerge = float(np.abs(logits_of(merged, ids) - full).max())
        assert dmerge <= CHECK_TOL, f"{name}: merge_and_unload differs by {dmerge}"
        # our own merge from the files
        dind = float(np.abs(independent_merge(fx, d, ids) - full).max())
        assert dind <= CHECK_TOL, f"{name}: independent merge differs by {dind}"

        delta = np.abs(full - base_ref)
        arg_same = float(np.mean(full.argmax(1) == base_ref.argmax(1)))
        assert delta.max() > 0.1, f"{name}: adapter barely changes the logits"
        extra = {
            "base_model_vs_its_logits_bin": fmt(dbase),
            "max_diff_vs_base": fmt(float(delta.max())),
            "mean_diff_vs_base": fmt(float(delta.mean())),
            "argmax_agreement_with_base": f"{arg_same:.3f}",
            "max_diff_merge_and_unload": fmt(dmerge),
            "max_diff_reload": fmt(dreload),
            "max_diff_independent_merge": fmt(dind),
        }
        if fx["rslora"]:
            # an engine that uses alpha/r instead of alpha/sqrt(r)
            cfg_wrong = dict(cfg, use_rslora=False)
            tmp = out / (name + ".tmp")
            tmp.mkdir()
            try:
                (tmp / "adapter_config.json").write_text(json.dumps(cfg_wrong))
                shutil.copyfile(d / "adapter_model.safetensors",
                                tmp / "adapter_model.safetensors")
                dwrong = float(np.abs(independent_merge(fx, tmp, ids) - full).max())
            finally:
                shutil.rmtree(tmp)
            assert dwrong > 1e-2, f"{name}: rsLoRA scaling has no visible effect"
            extra["effect_of_plain_alpha_over_r"] = fmt(dwrong)
        manifest["fixtures"].append({
            "name": name, "base_model": f"../models/{fx['base']}",
            "r": fx["r"], "lora_alpha": fx["alpha"], "use_rslora": fx["rslora"],
            "target_modules": sorted(fx["targets"]),
            "scaling": round(scale_of(fx["r"], fx["alpha"], fx["rslora"]), 9),
            "seed": fx["seed"], "init_std": INIT_STD,
            "seq_len": len(ids), "vocab_size": V, "tolerance": ENGINE_TOL,
            "logits_absmax": round(float(np.abs(full).max()), 4), **extra})
    (out / "manifest.json").write_text(json.dumps(manifest, indent=1) + "\n")
    return manifest


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
        print("all adapter fixtures reproduced byte for byte")
        return 0
    manifest = build(args.out)
    for e in manifest["fixtures"]:
        print(json.dumps(e))
    return 0


if __name__ == "__main__":
    sys.exit(main())
