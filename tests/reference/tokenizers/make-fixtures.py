#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Build the tokenizer reference fixtures for Whetstone's C tokenizer.

Run from the repository root:

    python3 tests/reference/tokenizers/make-fixtures.py          # (re)build
    python3 tests/reference/tokenizers/make-fixtures.py --check  # verify only

Every tokenizer is trained with Hugging Face `tokenizers` on a small text
that this script generates itself (fixed seed, project-written sentences, no
network, no third-party text).  The tokenizer.json files are then edited where
the Python API cannot express a configuration, written to disk, and the
expected ids in cases.json always come from `tokenizers.Tokenizer.from_file()`
loading the file that was written.

--check rebuilds nothing: it reloads every committed tokenizer.json and
confirms that it still reproduces its cases.json exactly (and that the
files under bad/ still behave as recorded).
"""

import hashlib
import json
import os
import random
import shutil
import sys
import unicodedata

# Keep the library single-threaded: training is deterministic either way,
# but there is no reason to depend on that.
os.environ["TOKENIZERS_PARALLELISM"] = "false"
os.environ["RAYON_NUM_THREADS"] = "1"

import tokenizers  # noqa: E402
from tokenizers import (  # noqa: E402
    AddedToken,
    Regex,
    Tokenizer,
    decoders,
    models,
    normalizers,
    pre_tokenizers,
    processors,
    trainers,
)

HERE = os.path.dirname(os.path.abspath(__file__))
LIBRARY = "tokenizers " + tokenizers.__version__
EXPECTED_VERSION = "0.20.3"
SEED = 20250611

LLAMA3_PATTERN = (
    r"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}|"
    r" ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+"
)
QWEN2_PATTERN = (
    r"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}|"
    r" ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+"
)

# ---------------------------------------------------------------------------
# Training text (project-written, generated from a fixed seed)
# ---------------------------------------------------------------------------

NAMES = ["Ada", "Bruno", "Chen", "Dagny", "Émile", "Farah", "Günther", "Hiro",
         "Ines", "Jonas", "Kwame", "Léa", "Mateo", "Nadia", "Olek", "Priya"]
THINGS = ["whetstone", "model", "tokenizer", "kernel", "dataset", "llama",
          "checkpoint", "gradient", "optimizer", "adapter", "buffer", "queue",
          "window", "button", "sentence", "number", "river", "garden",
          "kitchen", "letter", "engine", "library"]
VERBS = ["sharpens", "loads", "trains", "splits", "writes", "reads",
         "checks", "merges", "counts", "saves", "builds", "tests", "opens"]
ADJS = ["small", "quick", "careful", "bright", "quiet", "large", "simple",
        "broken", "new", "old", "strange", "useful", "green", "heavy"]

PROSE = [
    "{name} {verb} the {adj} {thing} before lunch.",
    "The {thing} {verb} every {thing2} in the {adj} {thing3}.",
    "Yesterday {name} said that the {thing} was {adj}, and nobody argued.",
    "Why does the {thing} keep {verb_ing} when the {thing2} is {adj}?",
    "It's a {adj} {thing}; I'm sure {name} knows why.",
    "DON'T touch the {thing} until {name} says it's ready!",
    "They'll finish the {thing} by {num}, or so they've promised.",
    "We've seen {num} {thing}s today, and she'd like {num2} more.",
    "You're right: the {thing} isn't {adj} at all.",
    "I'M NOT SHOUTING, THE {THING} IS JUST {ADJ}.",
    "{name}'s {thing} weighs {float} kg and costs ${num}.{cents}.",
    "Section {num}.{num2}: the {adj} {thing} (see page {num3}).",
    "Pi is about 3.14, e is about 2.718, and {float} is neither.",
    "Call 555-{num4} or write to {lname}@example.org for the {thing}.",
    "Wait... what?!! The {thing} {verb} itself???",
    "Note -- the {thing} is {adj} -- really.",
    "\"Quoted {thing}\", said {name}; 'single quotes' too.",
    "Version {num}.{num2}.{num3} fixes {num4} bugs in the {thing}.",
    "The year {year} had {num} {adj} days and {num2} rainy ones.",
    "On {year}-0{digit}-1{digit} at 1{digit}:3{digit} the {thing} {verb} again.",
]

CODE = [
    "def {fn}(x):\n    return x * {num}\n",
    "for i in range({num}):\n    print(i, i ** 2)\n",
    "if ({fn}(a) != NULL && b >= {num}) {{\n\treturn -1;\n}}\n",
    "int {fn}(const char *s) {{ return strlen(s) + {num}; }}\n",
    "let {fn} = |v: &[u8]| v.len() > {num};\n",
    "x = [{num}, {num2}, {num3}]  # three numbers\n",
    "while (n--) {{\r\n    sum += a[n];\r\n}}\r\n",
    "SELECT name, count(*) FROM {fn} WHERE id > {num};\n",
    "    self.{fn} = {{'key': \"{thing}\", 'n': {num}}}\n",
    "<div class=\"{fn}\">{thing}</div>\n",
    "g_autoptr(GError) error = NULL;\n",
    "return a->b[{num}] << 2 | c >> 1;\n",
]
FNS = ["foo", "bar", "parse_line", "loadModel", "wh_tok_encode", "helper",
       "square", "main_loop", "get_value"]

WORLD = [
    "Le café est très bon, n'est-ce pas ?",
    "À bientôt, Noël ! Ça va très bien.",
    "Die Straße ist schön und grün; Übermut tut selten gut.",
    "Größe, Maß und Fuß: das ß bleibt klein.",
    "¿Dónde está la estación? ¡Allí, señor!",
    "El niño comió piña en la mañana.",
    "Smörgåsbord och kärlek på svenska.",
    "Zażółć gęślą jaźń to polskie zdanie.",
    "naïve coöperation in the façade's rôle",
    "日本語のテキストを少し書きます。",
    "東京は今日も晴れです。",
    "这是一个中文句子。我们在测试分词器。",
    "한국어 문장입니다. 안녕하세요!",
    "Ελληνικά γράμματα είναι όμορφα.",
    "Καλημέρα, τι κάνεις;",
    "русский язык очень богатый.",
    "Привет, как дела? Всё хорошо.",
    "مرحبا بالعالم",
    "नमस्ते दुनिया",
    "สวัสดีครับ",
    "Emoji time 🙂🙂 and a llama 🦙 with thumbs 👍!",
    "Weather: ☀️ then 🌧️, temperature −5 °C.",
    "Math: α + β = γ, ∑ x² ≤ ∞, ½ + ¼ = ¾.",
]

SEPARATORS = [" ", " ", " ", "  ", "\n", "\n", "\n\n", "\r\n", "\t", " \n",
              "   ", "\n\n\n", "!!! ", "... "]


def _fill(rng, template):
    thing = rng.choice(THINGS)
    adj = rng.choice(ADJS)
    verb = rng.choice(VERBS)
    return template.format(
        name=rng.choice(NAMES), lname=rng.choice(NAMES).lower(),
        thing=thing, thing2=rng.choice(THINGS), thing3=rng.choice(THINGS),
        THING=thing.upper(), adj=adj, ADJ=adj.upper(), verb=verb,
        verb_ing=verb[:-1] + "ing" if not verb.endswith("ss") else verb + "ing",
        num=rng.randint(0, 99999), num2=rng.randint(0, 999),
        num3=rng.randint(0, 99), num4=rng.randint(1000, 9999),
        float="%d.%d" % (rng.randint(0, 999), rng.randint(0, 99999)),
        cents="%02d" % rng.randint(0, 99), year=rng.randint(1950, 2030),
        digit=rng.randint(0, 9), fn=rng.choice(FNS))


def training_documents():
    rng = random.Random(SEED)
    docs = []
    for _ in range(1500):
        parts = []
        for _ in range(rng.randint(1, 6)):
            r = rng.random()
            if r < 0.60:
                parts.append(_fill(rng, rng.choice(PROSE)))
            elif r < 0.80:
                parts.append(_fill(rng, rng.choice(CODE)))
            else:
                parts.append(rng.choice(WORLD))
            parts.append(rng.choice(SEPARATORS))
        docs.append("".join(parts))
    return docs


def latin_only(docs):
    """Training text for the SentencePiece-style fixtures: Latin letters only,
    no control characters, so that CJK, Cyrillic, emoji, tabs and newlines
    are absent from the vocabulary and go through byte fallback."""
    out = []
    for d in docs:
        d = d.replace("\t", " ").replace("\r", " ").replace("\n", " ")
        out.append("".join(c for c in d if ord(c) < 0x250))
    return out


# ---------------------------------------------------------------------------
# Test texts
# ---------------------------------------------------------------------------

PARAGRAPH = (
    "Whetstone fine-tunes small language models on a single GPU. In 2024 it "
    "processed 12,345 examples at 3.14 steps/s; we're aiming for 10x that!!! "
    "Config lives in ~/.config/whetstone/settings.ini, logs in /tmp/wh-*.log. "
    "Ask Émile (or Zoë) about café-style naïve tokenizers… "
    "日本語も少し、русский тоже. Done 🙂\n"
)

SHARED_TEXTS = [
    "",
    " ",
    "  ",
    " leading space",
    "trailing  ",
    "multiple   spaces",
    "\t\ttabs",
    "\n",
    "\n\n\n",
    "\r\n",
    "line one\r\nline two\r\n",
    "ab  \n\n  cd",
    "    \n   \n",
    "Hello world",
    "Hello World!",
    "HELLO",
    " Hello",
    "I'm",
    "DON'T",
    "you'LL",
    "they've",
    "it's It'S IT'S",
    "she'd've",
    "3.14159",
    "1234567890",
    "12345 678 9",
    "१२३",
    "٣٤٥ and ½ Ⅻ ²",
    "🙂🦙",
    "\U0001F600\U0001F600",
    "👍🏽 👨\u200d👩\u200d👧",
    "日本語のテキスト",
    "中文句子。",
    "한국어",
    "Ελληνικά",
    "русский язык",
    "e\u0301",
    "cafe\u0301 vs caf\u00e9",
    "naïve café",
    "Straße über Maß",
    "a\u0308\u0323 combining marks",
    "def f(x):\n    return x**2  # square\n",
    "int main(void) { return 0; }",
    "https://example.com/path?q=1&x=2",
    "$100.00 C++ vs. C#",
    "a\u00a0b",
    "\u3000",
    "x\u200by",
    "\u0085 \u2028 \u000b\u000c \u2003em",
    "a" * 32,
    "!!!???...",
    "<|im_end|>",
    "hello<|im_end|>world",
    "<|endoftext|>",
    "<s>",
    "</s> test",
    "abc日本def",
    "مرحبا",
    "नमस्ते",
    "สวัสดี",
    PARAGRAPH,
]

# ---------------------------------------------------------------------------
# Helpers
# ---------------------------------------------------------------------------


def bytes_to_unicode():
    """GPT-2's byte -> printable character map (used by ByteLevel)."""
    bs = (list(range(ord("!"), ord("~") + 1)) + list(range(ord("¡"), ord("¬") + 1))
          + list(range(ord("®"), ord("ÿ") + 1)))
    cs = bs[:]
    n = 0
    for b in range(256):
        if b not in bs:
            bs.append(b)
            cs.append(256 + n)
            n += 1
    return dict(zip(bs, [chr(c) for c in cs]))


BYTE_ENCODER = bytes_to_unicode()


def byte_level(s):
    return "".join(BYTE_ENCODER[b] for b in s.encode("utf-8"))


def to_dict(tok):
    return json.loads(tok.to_str())


def write_json(path, obj, indent=2):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        json.dump(obj, f, ensure_ascii=False, indent=indent)
        f.write("\n")


def byte_level_trainer(vocab_size):
    return trainers.BpeTrainer(
        vocab_size=vocab_size, min_frequency=2, show_progress=False,
        initial_alphabet=pre_tokenizers.ByteLevel.alphabet(), special_tokens=[])


def compute_case(tok, text):
    ids = tok.encode(text, add_special_tokens=False).ids
    ids_with_special = tok.encode(text, add_special_tokens=True).ids
    tok.encode_special_tokens = True
    try:
        ids_nsp = tok.encode(text, add_special_tokens=False).ids
    finally:
        tok.encode_special_tokens = False
    return {
        "text": text,
        "ids": ids,
        "ids_with_special": ids_with_special,
        "ids_no_special_parsing": ids_nsp,
        "decoded": tok.decode(ids, skip_special_tokens=False),
        "decoded_skip_special": tok.decode(ids, skip_special_tokens=True),
        "decoded_with_special": tok.decode(ids_with_special, skip_special_tokens=False),
    }


def compute_cases(tok, texts):
    seen = set()
    out = []
    for t in texts:
        if t in seen:
            continue
        seen.add(t)
        out.append(compute_case(tok, t))
    return out


def write_cases(dirpath, texts):
    """Reload the tokenizer.json just written and record what it does."""
    tok = Tokenizer.from_file(os.path.join(dirpath, "tokenizer.json"))
    cases = compute_cases(tok, texts)
    doc = {"tokenizer": "tokenizer.json", "library": LIBRARY, "cases": []}
    path = os.path.join(dirpath, "cases.json")
    # One case per line keeps diffs readable.
    lines = ['{"tokenizer": "tokenizer.json", "library": %s,' % json.dumps(LIBRARY),
             ' "cases": [']
    for i, c in enumerate(cases):
        sep = "," if i + 1 < len(cases) else ""
        lines.append("  " + json.dumps(c, ensure_ascii=False) + sep)
    lines.append(" ]}")
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        f.write("\n".join(lines) + "\n")
    doc["cases"] = cases
    # The hand-formatted file must parse back to the same thing.
    with open(path, encoding="utf-8") as f:
        assert json.load(f) == doc, path
    return tok, cases


def save_tokenizer(name, tj, texts, config=None):
    d = os.path.join(HERE, name)
    if os.path.isdir(d):
        shutil.rmtree(d)
    os.makedirs(d)
    write_json(os.path.join(d, "tokenizer.json"), tj)
    if config is not None:
        write_json(os.path.join(d, "tokenizer_config.json"), config)
    return write_cases(d, texts)


def added_token_entries(tj):
    return {a["content"]: a["id"] for a in tj["added_tokens"]}


# ---------------------------------------------------------------------------
# Fixtures
# ---------------------------------------------------------------------------

LLAMA3_SPECIALS = ["<|begin_of_text|>", "<|end_of_text|>", "<|eot_id|>",
                   "<|start_header_id|>", "<|end_header_id|>"]
# Whole words put into the vocabulary without any merge that builds them, so
# that ignore_merges (take a pre-token whole when it is in the vocab) gives a
# different result from applying the merges.
LLAMA3_UNREACHABLE = [" whetstone", " tokenizer", "Whetstone", " sharpening",
                      "123"]

EXTRA = {
    "bytelevel-llama3": [
        "<|begin_of_text|><|start_header_id|>user<|end_header_id|>\n\nHi there<|eot_id|>",
        "x<|eot_id|>",
        "<|begin_of_text|>Hi",
        "the whetstone tokenizer",
        "Whetstone sharpening 123 1234 12345",
        "whetstone,whetstone whetstone!",
        "1234567",
        "'s 's 'S 'Ll",
    ],
    "bytelevel-qwen2": [
        "<|im_start|>user\nHello<|im_end|>\n<|im_start|>assistant\n",
        "2024-06-11",
        "A\u030a \u212b \u00c5",
        "\u1100\u1161\u11a8 \uac01",
        "\u1e9b\u0323 \ufb01 \u2126",
        "o\u0308 u\u0308 n\u0303 c\u0327",
        "Zoe\u0308 cafe\u0301 re\u0301sume\u0301",
    ],
    "bytelevel-gpt2": [
        "<|endoftext|>Hello",
        "Hello<|endoftext|> world",
        " 's 'd I'M",
        "   x",
        "x   ",
        "  \n x",
    ],
    "metaspace": [
        "<0x41>",
        "<unk>",
        "Hello\nworld",
        "  two leading",
        "ü ñ ß",
        "hello<s>world",
        "▁already▁metaspace",
    ],
    "spm-legacy": [
        "hello<s>world",
        "<s> <s>",
        " a",
        "a ",
        "<0x41>",
        "Hello\nworld",
        "▁already▁metaspace",
    ],
    "added-tokens": [
        "a <sep>  b",
        "x   [MASK] y",
        "password words word.",
        "<|im_end|> inside",
        "<tool><tool>",
        "[MASK]",
        "   [MASK]   ",
        "<sep>",
        "<sep>\n\nx",
        "word",
        "word word,word",
        "WORD Word",
        "swordfish sword word_x word-x",
        "x [MASK][MASK]",
        "a<|im_end|>b<tool>c",
        "<tool> <TOOL>",
        "call <tool>search</tool> now<|im_end|>",
    ],
}


def texts_for(name):
    return SHARED_TEXTS + EXTRA.get(name, [])


def build_llama3(docs):
    tok = Tokenizer(models.BPE(ignore_merges=True))
    tok.pre_tokenizer = pre_tokenizers.Sequence([
        pre_tokenizers.Split(Regex(LLAMA3_PATTERN), behavior="isolated", invert=False),
        pre_tokenizers.ByteLevel(add_prefix_space=False, use_regex=False),
    ])
    tok.decoder = decoders.ByteLevel()
    tok.train_from_iterator(docs, byte_level_trainer(640))

    tj = to_dict(tok)
    vocab = tj["model"]["vocab"]
    for w in LLAMA3_UNREACHABLE:
        t = byte_level(w)
        if t not in vocab:
            vocab[t] = len(vocab)
    tok = Tokenizer.from_str(json.dumps(tj))
    tok.add_special_tokens([AddedToken(s, special=True, normalized=False)
                            for s in LLAMA3_SPECIALS])
    bos = tok.token_to_id("<|begin_of_text|>")
    tok.post_processor = processors.Sequence([
        processors.ByteLevel(trim_offsets=False),
        processors.TemplateProcessing(
            single="<|begin_of_text|> $A",
            pair="<|begin_of_text|> $A <|begin_of_text|>:1 $B:1",
            special_tokens=[("<|begin_of_text|>", bos)]),
    ])
    tj = to_dict(tok)
    pairs_tok = Tokenizer.from_str(json.dumps(tj))
    # Llama 3 files carry merges as "a b" strings; tokenizers 0.20 writes
    # [a, b] pairs, so rewrite them.  No byte-level token contains a space.
    merges = tj["model"]["merges"]
    assert all(" " not in a and " " not in b for a, b in merges)
    tj["model"]["merges"] = ["%s %s" % (a, b) for a, b in merges]

    config = {
        "add_bos_token": True,
        "add_eos_token": False,
        "bos_token": "<|begin_of_text|>",
        "eos_token": "<|eot_id|>",
        "clean_up_tokenization_spaces": True,
        "model_max_length": 131072,
        "tokenizer_class": "PreTrainedTokenizerFast",
    }
    texts = texts_for("bytelevel-llama3")
    tok, cases = save_tokenizer("bytelevel-llama3", tj, texts, config)

    # The string-merges file must behave exactly like the pairs form.
    assert compute_cases(pairs_tok, texts) == cases
    # Record how much ignore_merges matters for this fixture.
    tj2 = json.loads(json.dumps(tj))
    tj2["model"]["ignore_merges"] = False
    no_ignore = Tokenizer.from_str(json.dumps(tj2))
    differ = [c["text"] for c in cases
              if no_ignore.encode(c["text"], add_special_tokens=False).ids != c["ids"]]
    assert differ, "ignore_merges makes no difference; fixture is too weak"
    return "%d cases differ with ignore_merges=false" % len(differ)


def build_qwen2(docs):
    tok = Tokenizer(models.BPE(dropout=None, unk_token=None,
                               continuing_subword_prefix="", end_of_word_suffix="",
                               fuse_unk=False, byte_fallback=False))
    tok.normalizer = normalizers.NFC()
    tok.pre_tokenizer = pre_tokenizers.Sequence([
        pre_tokenizers.Split(Regex(QWEN2_PATTERN), behavior="isolated", invert=False),
        pre_tokenizers.ByteLevel(add_prefix_space=False, use_regex=False),
    ])
    tok.decoder = decoders.ByteLevel()
    tok.post_processor = processors.ByteLevel(trim_offsets=False)
    tok.train_from_iterator(docs, byte_level_trainer(560))
    tok.add_special_tokens([AddedToken(s, special=True, normalized=False)
                            for s in ["<|endoftext|>", "<|im_start|>", "<|im_end|>"]])
    tj = to_dict(tok)
    tj["model"]["continuing_subword_prefix"] = ""
    tj["model"]["end_of_word_suffix"] = ""
    tj["model"]["ignore_merges"] = False
    assert isinstance(tj["model"]["merges"][0], list)
    config = {
        "add_bos_token": False,
        "add_prefix_space": False,
        "bos_token": None,
        "eos_token": "<|im_end|>",
        "pad_token": "<|endoftext|>",
        "unk_token": None,
        "errors": "replace",
        "clean_up_tokenization_spaces": False,
        "split_special_tokens": False,
        "model_max_length": 32768,
        "tokenizer_class": "Qwen2Tokenizer",
    }
    tok, cases = save_tokenizer("bytelevel-qwen2", tj, texts_for("bytelevel-qwen2"), config)
    nfc = sum(1 for c in cases if unicodedata.normalize("NFC", c["text"]) != c["text"])
    return "%d cases change under NFC" % nfc


def gpt2_tokenizer_json(docs):
    tok = Tokenizer(models.BPE(dropout=None, unk_token=None,
                               continuing_subword_prefix="", end_of_word_suffix="",
                               fuse_unk=False, byte_fallback=False))
    tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False, use_regex=True)
    tok.decoder = decoders.ByteLevel()
    tok.post_processor = processors.ByteLevel(trim_offsets=False)
    tok.train_from_iterator(docs, byte_level_trainer(500))
    # Like GPT-2, the one special token comes last.
    tok.add_special_tokens([AddedToken("<|endoftext|>", special=True, normalized=False)])
    tj = to_dict(tok)
    tj["model"]["continuing_subword_prefix"] = ""
    tj["model"]["end_of_word_suffix"] = ""
    return tj


def build_gpt2(docs):
    tj = gpt2_tokenizer_json(docs)
    save_tokenizer("bytelevel-gpt2", tj, texts_for("bytelevel-gpt2"))
    return "endoftext id %d" % added_token_entries(tj)["<|endoftext|>"]


def build_added_tokens(docs):
    tok = Tokenizer.from_str(json.dumps(gpt2_tokenizer_json(docs)))
    tok.add_special_tokens([AddedToken("<|im_end|>", special=True, normalized=False)])
    tok.add_tokens([
        AddedToken("<tool>", special=False, normalized=False),
        AddedToken("[MASK]", special=True, lstrip=True, normalized=False),
        AddedToken("<sep>", special=True, rstrip=True, normalized=False),
        AddedToken("word", special=False, single_word=True, normalized=False),
    ])
    tj = to_dict(tok)
    flags = {a["content"]: a for a in tj["added_tokens"]}
    assert flags["[MASK]"]["lstrip"] and flags["[MASK]"]["special"]
    assert flags["<sep>"]["rstrip"] and flags["<sep>"]["special"]
    assert flags["word"]["single_word"] and not flags["word"]["special"]
    assert not flags["<tool>"]["special"] and not flags["<tool>"]["normalized"]
    save_tokenizer("added-tokens", tj, texts_for("added-tokens"))
    in_vocab = [a["content"] for a in tj["added_tokens"]
                if a["content"] in tj["model"]["vocab"]]
    return "added tokens also in model vocab: %s" % (in_vocab or "none")


SPM_SPECIALS = ["<unk>", "<s>", "</s>"]


def spm_model_json(docs, n_pieces):
    """Train SentencePiece-like BPE pieces, then lay the vocabulary out the way
    a converted SentencePiece model does: <unk> <s> </s>, <0x00>..<0xFF>,
    then the pieces."""
    tok = Tokenizer(models.BPE(unk_token="<unk>", byte_fallback=True, fuse_unk=True))
    tok.pre_tokenizer = pre_tokenizers.Metaspace(replacement="▁", prepend_scheme="always",
                                                 split=True)
    trainer = trainers.BpeTrainer(vocab_size=n_pieces, min_frequency=2,
                                  show_progress=False, special_tokens=[])
    tok.train_from_iterator(latin_only(docs), trainer)
    trained = to_dict(tok)["model"]
    vocab = {}
    for s in SPM_SPECIALS:
        vocab[s] = len(vocab)
    for b in range(256):
        vocab["<0x%02X>" % b] = len(vocab)
    for piece, _ in sorted(trained["vocab"].items(), key=lambda kv: kv[1]):
        assert piece not in vocab, piece
        vocab[piece] = len(vocab)
    for piece in vocab:
        if len(piece) == 1:
            assert piece == "▁" or (ord(piece) < 0x250 and piece not in "\t\r\n"), \
                repr(piece)
    return {
        "type": "BPE",
        "dropout": None,
        "unk_token": "<unk>",
        "continuing_subword_prefix": None,
        "end_of_word_suffix": None,
        "fuse_unk": True,
        "byte_fallback": True,
        "ignore_merges": False,
        "vocab": vocab,
        "merges": trained["merges"],
    }


def spm_common(model, normalizer, pre_tokenizer):
    return {
        "version": "1.0",
        "truncation": None,
        "padding": None,
        "added_tokens": [
            {"id": i, "content": s, "single_word": False, "lstrip": False,
             "rstrip": False, "normalized": False, "special": True}
            for i, s in enumerate(SPM_SPECIALS)
        ],
        "normalizer": normalizer,
        "pre_tokenizer": pre_tokenizer,
        "post_processor": json.loads(processors.TemplateProcessing(
            single="<s> $A", pair="<s> $A <s>:1 $B:1",
            special_tokens=[("<s>", 1)]).__getstate__()),
        "decoder": json.loads(decoders.Sequence([
            decoders.Replace("▁", " "), decoders.ByteFallback(), decoders.Fuse(),
            decoders.Strip(content=" ", left=1, right=0)]).__getstate__()),
        "model": model,
    }


SPM_CONFIG = {
    "add_bos_token": True,
    "add_eos_token": False,
    "bos_token": "<s>",
    "eos_token": "</s>",
    "unk_token": "<unk>",
    "clean_up_tokenization_spaces": False,
    "tokenizer_class": "LlamaTokenizer",
}


def byte_fallback_summary(tok, cases):
    first_piece = 3 + 256
    n = sum(1 for c in cases if any(3 <= i < first_piece for i in c["ids"]))
    return "%d cases use byte-fallback tokens" % n


def build_metaspace(docs):
    model = spm_model_json(docs, 420)
    pre = json.loads(pre_tokenizers.Metaspace(replacement="▁", prepend_scheme="first",
                                              split=False).__getstate__())
    tj = spm_common(model, None, pre)
    config = dict(SPM_CONFIG, legacy=False)
    tok, cases = save_tokenizer("metaspace", tj, texts_for("metaspace"), config)
    return byte_fallback_summary(tok, cases)


def build_spm_legacy(docs):
    model = spm_model_json(docs, 380)
    norm = json.loads(normalizers.Sequence([
        normalizers.Prepend("▁"), normalizers.Replace(" ", "▁")]).__getstate__())
    tj = spm_common(model, norm, None)
    config = dict(SPM_CONFIG, legacy=True)
    tok, cases = save_tokenizer("spm-legacy", tj, texts_for("spm-legacy"), config)
    return byte_fallback_summary(tok, cases)


# ---------------------------------------------------------------------------
# Deliberately broken files
# ---------------------------------------------------------------------------


def library_behaviour(path):
    try:
        tok = Tokenizer.from_file(path)
    except Exception as e:  # the library raises a plain Exception
        return {"loads": False, "error": str(e)}
    return {"loads": True, "model": json.loads(tok.to_str())["model"]["type"]}


def build_bad():
    d = os.path.join(HERE, "bad")
    if os.path.isdir(d):
        shutil.rmtree(d)
    os.makedirs(d)

    # 1. A valid fixture cut in half (at a UTF-8 character boundary).
    with open(os.path.join(HERE, "bytelevel-gpt2", "tokenizer.json"), "rb") as f:
        data = f.read()
    cut = len(data) // 2
    while cut > 0 and (data[cut] & 0xC0) == 0x80:
        cut -= 1
    with open(os.path.join(d, "truncated.json"), "wb") as f:
        f.write(data[:cut])

    # 2. A Unigram model (a type the C tokenizer does not implement).
    write_json(os.path.join(d, "unknown-model.json"), {
        "version": "1.0", "truncation": None, "padding": None,
        "added_tokens": [{"id": 0, "content": "<unk>", "single_word": False,
                          "lstrip": False, "rstrip": False, "normalized": False,
                          "special": True}],
        "normalizer": None,
        "pre_tokenizer": {"type": "Metaspace", "replacement": "▁",
                          "prepend_scheme": "always", "split": True},
        "post_processor": None,
        "decoder": {"type": "Metaspace", "replacement": "▁",
                    "prepend_scheme": "always", "split": True},
        "model": {"type": "Unigram", "unk_id": 0, "byte_fallback": False,
                  "vocab": [["<unk>", 0.0], ["▁", -2.0], ["a", -3.0],
                            ["b", -3.5], ["▁a", -4.0], ["ab", -4.5]]},
    })

    # 3. BPE whose merges name a token that is not in the vocabulary.
    write_json(os.path.join(d, "missing-merge-token.json"), {
        "version": "1.0", "truncation": None, "padding": None,
        "added_tokens": [], "normalizer": None,
        "pre_tokenizer": {"type": "ByteLevel", "add_prefix_space": False,
                          "trim_offsets": True, "use_regex": True},
        "post_processor": None,
        "decoder": {"type": "ByteLevel", "add_prefix_space": True,
                    "trim_offsets": True, "use_regex": True},
        "model": {"type": "BPE", "dropout": None, "unk_token": None,
                  "continuing_subword_prefix": None, "end_of_word_suffix": None,
                  "fuse_unk": False, "byte_fallback": False, "ignore_merges": False,
                  "vocab": {"a": 0, "b": 1, "c": 2, "ab": 3, "abc": 4},
                  "merges": [["a", "b"], ["ab", "c"], ["c", "zz"]]},
    })

    # 4. Not JSON at all: 200 bytes of seeded garbage.
    rng = random.Random(SEED + 1)
    with open(os.path.join(d, "not-json.json"), "wb") as f:
        f.write(bytes(rng.randrange(256) for _ in range(200)))

    # 5. A WordPiece (BERT-style) model.
    write_json(os.path.join(d, "wordpiece.json"), {
        "version": "1.0", "truncation": None, "padding": None,
        "added_tokens": [
            {"id": i, "content": s, "single_word": False, "lstrip": False,
             "rstrip": False, "normalized": False, "special": True}
            for i, s in enumerate(["[PAD]", "[UNK]", "[CLS]", "[SEP]"])],
        "normalizer": {"type": "BertNormalizer", "clean_text": True,
                       "handle_chinese_chars": True, "strip_accents": None,
                       "lowercase": True},
        "pre_tokenizer": {"type": "BertPreTokenizer"},
        "post_processor": None,
        "decoder": {"type": "WordPiece", "prefix": "##", "cleanup": True},
        "model": {"type": "WordPiece", "unk_token": "[UNK]",
                  "continuing_subword_prefix": "##", "max_input_chars_per_word": 100,
                  "vocab": {"[PAD]": 0, "[UNK]": 1, "[CLS]": 2, "[SEP]": 3,
                            "hello": 4, "world": 5, "whet": 6, "##stone": 7,
                            "!": 8}},
    })

    behaviour = {}
    for name in sorted(os.listdir(d)):
        if name.endswith(".json") and name != "library-behaviour.json":
            behaviour[name] = library_behaviour(os.path.join(d, name))
    behaviour = {"library": LIBRARY, "files": behaviour}
    write_json(os.path.join(d, "library-behaviour.json"), behaviour)
    return behaviour


# ---------------------------------------------------------------------------

FIXTURES = ["bytelevel-llama3", "bytelevel-qwen2", "bytelevel-gpt2", "metaspace",
            "spm-legacy", "added-tokens"]


def check():
    ok = True
    for name in FIXTURES:
        d = os.path.join(HERE, name)
        with open(os.path.join(d, "cases.json"), encoding="utf-8") as f:
            doc = json.load(f)
        tok = Tokenizer.from_file(os.path.join(d, doc["tokenizer"]))
        got = compute_cases(tok, [c["text"] for c in doc["cases"]])
        bad = [c["text"] for c, g in zip(doc["cases"], got) if c != g]
        status = "ok" if not bad and len(got) == len(doc["cases"]) else "MISMATCH"
        ok = ok and status == "ok"
        print("%-18s %3d cases  %s%s" % (name, len(got), status,
                                        (" " + repr(bad[:3])) if bad else ""))
    bd = os.path.join(HERE, "bad")
    with open(os.path.join(bd, "library-behaviour.json"), encoding="utf-8") as f:
        rec = json.load(f)["files"]
    for name, want in sorted(rec.items()):
        got = library_behaviour(os.path.join(bd, name))
        status = "ok" if got == want else "MISMATCH %r" % (got,)
        ok = ok and got == want
        print("bad/%-22s loads=%-5s %s" % (name, got["loads"], status))
    return ok


def main():
    if tokenizers.__version__ != EXPECTED_VERSION:
        print("warning: expected tokenizers %s, have %s"
              % (EXPECTED_VERSION, tokenizers.__version__), file=sys.stderr)
    if "--check" in sys.argv[1:]:
        sys.exit(0 if check() else 1)

    docs = training_documents()
    print("training text: %d documents, %d characters, sha256 %s" % (
        len(docs), sum(map(len, docs)),
        hashlib.sha256("\x00".join(docs).encode()).hexdigest()[:16]))
    notes = {
        "bytelevel-llama3": build_llama3(docs),
        "bytelevel-qwen2": build_qwen2(docs),
        "bytelevel-gpt2": build_gpt2(docs),
        "metaspace": build_metaspace(docs),
        "spm-legacy": build_spm_legacy(docs),
        "added-tokens": build_added_tokens(docs),
    }
    for name in FIXTURES:
        print("%-18s %s" % (name, notes[name]))
    for name, b in sorted(build_bad()["files"].items()):
        print("bad/%-22s %s" % (name, b))
    if not check():
        sys.exit(1)


if __name__ == "__main__":
    main()
