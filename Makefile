# SPDX-License-Identifier: GPL-3.0-or-later
#
# The two commands a person needs: `make run` and `make test`.
# Both install what is missing, configure, and build first.

BUILDDIR ?= _build
ASANDIR  ?= _build-asan
MESON    ?= meson

.PHONY: all deps build run test test-asan check-long bench screenshots clean

all: build

deps:
	@./build-aux/install-deps.sh

$(BUILDDIR)/build.ninja:
	$(MESON) setup $(BUILDDIR) -Ddevelopment=true

build: deps $(BUILDDIR)/build.ninja
	$(MESON) compile -C $(BUILDDIR)

run: build
	$(MESON) devenv -C $(BUILDDIR) ./app/whetstone

test: build
	$(MESON) test -C $(BUILDDIR) --print-errorlogs --num-processes 2 --no-suite long

$(ASANDIR)/build.ninja:
	$(MESON) setup $(ASANDIR) -Ddevelopment=true -Db_sanitize=address,undefined -Db_lundef=false

# GLib 2.74 leaks the strings of G_TEST_OPTION_ISOLATE_DIRS; nothing else
# is suppressed.
test-asan: deps $(ASANDIR)/build.ninja
	$(MESON) compile -C $(ASANDIR)
	LSAN_OPTIONS=suppressions=$(CURDIR)/build-aux/lsan.supp ASAN_OPTIONS=fast_unwind_on_malloc=0 \
	  $(MESON) test -C $(ASANDIR) --print-errorlogs --num-processes 2 --no-suite gui --no-suite long

check-long: build
	$(MESON) test -C $(BUILDDIR) --print-errorlogs --suite long --num-processes 1

# Tokenizer speed: the real vocabularies beside the checkout when present,
# else the project's own fixture; Hugging Face tokenizers is the peer when
# its Python package is installed.
SHARED_VOCAB ?= ../shared/testdata/vocab
SHARED_MODEL ?= ../shared/testdata/models/stories260K/stories260K-f32.gguf
BENCH_TOKENIZERS = $(abspath $(wildcard $(SHARED_VOCAB)/ggml-vocab-gpt-2.gguf $(SHARED_VOCAB)/ggml-vocab-llama-spm.gguf) \
                   tests/reference/tokenizers/bytelevel-qwen2)

# LoRA training speed: stories260K's Hugging Face folder when present and
# random weights shaped like Llama-3.2-1B; PyTorch (bench/train-peer.py)
# is the peer when torch, transformers and peft are installed.
SHARED_HF_MODEL ?= ../shared/testdata/models/stories260K/hf
TRAIN_PEER = if python3 -c 'import torch, transformers, peft' 2>/dev/null; then \
	  echo 'Peer (PyTorch, CPU):'; python3 bench/train-peer.py $(1); \
	else \
	  echo 'Peer: skipped (pip install torch transformers peft to compare with PyTorch)'; \
	fi

bench: build
	$(MESON) devenv -C $(BUILDDIR) ./app/whetstone-cli bench gemm
	@for m in $(BENCH_TOKENIZERS); do \
	  echo; $(MESON) devenv -C $(BUILDDIR) ./app/whetstone-cli bench tokenize --model $$m || exit 1; \
	  if python3 -c 'import tokenizers' 2>/dev/null; then \
	    printf 'Peer (Hugging Face tokenizers, 1 thread): '; \
	    python3 build-aux/bench-tokenize-peer.py $$m; \
	  else \
	    echo 'Peer: skipped (pip install tokenizers gguf to compare with Hugging Face tokenizers)'; \
	  fi; \
	done
	@for m in $(abspath $(wildcard $(SHARED_MODEL))); do \
	  echo; $(MESON) devenv -C $(BUILDDIR) ./app/whetstone-cli bench generate --model $$m --prompt-tokens 120 --tokens 64 || exit 1; \
	  if python3 -c 'import llama_cpp' 2>/dev/null; then \
	    printf 'Peer (llama.cpp, CPU): '; python3 build-aux/bench-generate-peer.py $$m 120 64 2>/dev/null | tail -1; \
	  else \
	    echo 'Peer: skipped (pip install llama-cpp-python to compare with llama.cpp)'; \
	  fi; \
	done
	@echo; $(MESON) devenv -C $(BUILDDIR) ./app/whetstone-cli bench generate --random-1b --type q8_0 --prompt-tokens 64 --tokens 8
	@for m in $(abspath $(wildcard $(SHARED_VOCAB)/ggml-vocab-llama-spm.gguf) tests/reference/tokenizers/bytelevel-qwen2); do \
	  echo; $(MESON) devenv -C $(BUILDDIR) ./app/whetstone-cli bench data --model $$m || exit 1; \
	done
	@if [ -f $(SHARED_HF_MODEL)/config.json ]; then \
	  m=$(abspath $(SHARED_HF_MODEL)); \
	  for s in 256 512; do \
	    echo; $(MESON) devenv -C $(BUILDDIR) ./app/whetstone-cli bench train --model $$m --seq $$s --steps 20 || exit 1; \
	    $(call TRAIN_PEER,--model $$m --seq $$s --steps 20); \
	  done; \
	else \
	  echo; echo 'bench train: skipped stories260K ($(SHARED_HF_MODEL) is absent)'; \
	fi
	@echo; $(MESON) devenv -C $(BUILDDIR) ./app/whetstone-cli bench train --shape llama-3.2-1b --seq 512 --steps 2
	@$(call TRAIN_PEER,--shape llama-3.2-1b --seq 512 --steps 2)

# The app's screens, light and dark, drawn at 1280×800 into data/screenshots/
# (listed in the metainfo) by tests/gui/screenshots.c, which trains the demo
# model (stories260K until data/demo/model exists) in a temporary folder.
SCREENSHOTDIR ?= data/screenshots

screenshots: build
	@./build-aux/install-deps.sh fonts-cantarell optipng
	GDK_BACKEND=x11 GSK_RENDERER=cairo GTK_A11Y=none NO_AT_BRIDGE=1 \
	  $(MESON) devenv -C $(BUILDDIR) xvfb-run -a -s '-screen 0 1600x1000x24' \
	  ./tests/gui/screenshots $(abspath $(SCREENSHOTDIR))
	optipng -quiet -o2 -strip all $(SCREENSHOTDIR)/*.png

clean:
	rm -rf $(BUILDDIR) $(ASANDIR)

# The built-in demo model's corpus and tokenizer (see data/demo/README.md):
# plain python3, seeded, byte-identical on every run.  The files land in
# $(DEMODIR): train.jsonl, val.jsonl and model/ (tokenizer files + config.json).
DEMODIR  ?= $(BUILDDIR)/demo
DEMOSEED ?= 8

$(DEMODIR)/train.jsonl: data/demo/make-corpus.py
	python3 data/demo/make-corpus.py --out $(DEMODIR) --seed $(DEMOSEED)

$(DEMODIR)/model/tokenizer.json: $(DEMODIR)/train.jsonl data/demo/train-tokenizer.py data/demo/config.json
	python3 data/demo/train-tokenizer.py --corpus $(DEMODIR)/train.jsonl --out $(DEMODIR)/model
	cp data/demo/config.json $(DEMODIR)/model/config.json

.PHONY: demo-corpus
demo-corpus: $(DEMODIR)/model/tokenizer.json

# The built-in demo model itself: a new model of data/demo/config.json,
# pretrained by Whetstone's own full fine-tuning in three stages, then written
# as f16 into data/demo/model.  Stage 1 (data/demo/pretrain.json): the
# corpus's stories and chats.  Stage 2 (data/demo/midtrain.json): stage 1's
# weights in f16, on domain chats (shop writing, cooking, app support, SQL)
# with stage 1's kinds replayed.  Stage 3 (data/demo/stage3.json): stage 2's
# weights in f16, on a fresh corpus with more shop writing and cooking, in
# shorter conversations.  Seeded: the same machine gives the same weights.
# `make demo-model-stage2` and `make demo-model-stage3` rerun the last stages
# from the model an earlier stage left in $(DEMODIR)/stage1 or stage2.
CLI = $(MESON) devenv -C $(BUILDDIR) ./app/whetstone-cli
MIDSEED ?= 9
S3SEED  ?= 10

.PHONY: demo-model demo-model-stage1 demo-model-stage2 demo-model-stage3
demo-model: demo-model-stage1
	$(MAKE) demo-model-stage2
	$(MAKE) demo-model-stage3

demo-model-stage1: build $(DEMODIR)/model/tokenizer.json
	python3 data/demo/make-pretrain.py --corpus $(DEMODIR) --out $(DEMODIR)/pretrain --seed $(DEMOSEED)
	rm -rf $(DEMODIR)/init $(DEMODIR)/run $(DEMODIR)/stage1
	$(CLI) init-model --config $(abspath $(DEMODIR))/model/config.json --seed $(DEMOSEED) --out $(abspath $(DEMODIR))/init
	cp data/demo/pretrain.json $(DEMODIR)/pretrain.json
	$(CLI) train $(abspath $(DEMODIR))/pretrain.json --run-dir $(abspath $(DEMODIR))/run
	$(CLI) convert $(abspath $(DEMODIR))/run/model --dtype f16 --out $(abspath $(DEMODIR))/stage1

demo-model-stage2: build
	@test -d $(DEMODIR)/stage1 || (echo "$(DEMODIR)/stage1 is missing: run make demo-model" >&2; exit 1)
	python3 data/demo/make-corpus.py --out $(DEMODIR)/mid --seed $(MIDSEED) --size-mb 28 --domain-share 0.7
	python3 data/demo/make-pretrain.py --corpus $(DEMODIR)/mid --out $(DEMODIR)/mid/pretrain --seed $(MIDSEED)
	rm -rf $(DEMODIR)/mid-run
	cp data/demo/midtrain.json $(DEMODIR)/midtrain.json
	$(CLI) train $(abspath $(DEMODIR))/midtrain.json --run-dir $(abspath $(DEMODIR))/mid-run
	rm -rf $(DEMODIR)/stage2
	$(CLI) convert $(abspath $(DEMODIR))/mid-run/model --dtype f16 --out $(abspath $(DEMODIR))/stage2

demo-model-stage3: build
	@test -d $(DEMODIR)/stage2 || (echo "$(DEMODIR)/stage2 is missing: run make demo-model" >&2; exit 1)
	python3 data/demo/make-corpus.py --out $(DEMODIR)/s3 --seed $(S3SEED) --size-mb 34 --domain-share 0.7 \
		--domain-mix food=45,cooking=25,support=15,sql=15
	python3 data/demo/make-pretrain.py --corpus $(DEMODIR)/s3 --out $(DEMODIR)/s3/pretrain --seed $(S3SEED) --max-tokens 400
	rm -rf $(DEMODIR)/s3-run
	cp data/demo/stage3.json $(DEMODIR)/stage3.json
	$(CLI) train $(abspath $(DEMODIR))/stage3.json --run-dir $(abspath $(DEMODIR))/s3-run
	$(CLI) convert $(abspath $(DEMODIR))/s3-run/model --dtype f16 --out $(CURDIR)/data/demo/model
