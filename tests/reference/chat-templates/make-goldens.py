#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Copyright 2026 The Whetstone authors
#
# Renders the reference chat templates in this folder with jinja2, the way
# transformers' apply_chat_template does, and writes goldens.json for
# tests/engine/test-chat-template.c.  Needs Python 3 with jinja2 (and
# transformers, only to cross-check the rendering); `make test` does not.
#
#   python3 tests/reference/chat-templates/make-goldens.py

import json
import sys
from pathlib import Path

from jinja2.exceptions import TemplateError
from jinja2.sandbox import ImmutableSandboxedEnvironment

HERE = Path(__file__).resolve().parent

# Stands in for the date a template asks strftime_now() for; the C test
# puts today's date in its place, as transformers would.
def strftime_sentinel(fmt):
    return "<<strftime_now:" + fmt + ">>"

LLAMA31_DATE_LINES = "Cutting Knowledge Date: December 2023\nToday Date: 26 Jul 2024\n\n"
STANFORD_PREAMBLE = ("Below is an instruction that describes a task. "
                     "Write a response that appropriately completes the request.")


def llama2_default_system_template():
    """transformers' LlamaTokenizer.default_chat_template as it was until
    transformers 4.42, with use_default_system_prompt=True: the template text
    (huggingface.js packages/jinja/test/e2e.test.js, key "llama") with its
    placeholders replaced exactly as transformers replaced them."""
    from transformers.models.llama.tokenization_llama import DEFAULT_SYSTEM_PROMPT

    template = (HERE / "llama2-transformers-default-system.in").read_text(encoding="utf-8")
    template = template.replace("USE_DEFAULT_PROMPT", "true")
    default_message = DEFAULT_SYSTEM_PROMPT.replace("\n", "\\n").replace("'", "\\'")
    template = template.replace("DEFAULT_SYSTEM_MESSAGE", default_message)
    return template, DEFAULT_SYSTEM_PROMPT


def devstral_default_system():
    return ("You are Devstral, a Large Language Model (LLM) created by Mistral AI, a French startup "
            "headquartered in Paris.\nYour knowledge base was last updated on 2023-10-01. The current date is "
            + strftime_sentinel("%Y-%m-%d") + ".\n\nWhen you're not sure about some information, you say that "
            "you don't have the information and don't make up anything.\nIf the user's question is not clear, "
            "ambiguous, or does not provide enough context for you to accurately answer the question, you do "
            "not try to answer it right away and you rather ask the user to clarify their request (e.g. "
            "\"What are some good restaurants around me?\" => \"Where are you?\" or \"When is the next flight "
            "to Tokyo\" => \"Where do you travel from?\")")


# file, family, bos/eos the model's tokenizer has, the default system prompt
# the template inserts, whether wh_chat_template_new (family) must render the
# same, the variant of the family (for the expected segments below), and the
# conversations where Whetstone deliberately differs from the template.
TEMPLATES = [
    dict(file="chatml-openhermes-2.5-mistral-7b.jinja", family="chatml", bos="<s>", eos="<|im_end|>", by_name=True),
    dict(file="chatml-qwen2-0.5b-instruct.jinja", family="chatml", bos=None, eos="<|im_end|>",
         default_system="You are a helpful assistant."),
    dict(file="chatml-qwen2.5-7b-instruct.jinja", family="chatml", bos=None, eos="<|im_end|>",
         default_system="You are Qwen, created by Alibaba Cloud. You are a helpful assistant."),
    dict(file="chatml-smollm2-135m-instruct.jinja", family="chatml", bos="<|im_start|>", eos="<|im_end|>",
         default_system="You are a helpful AI assistant named SmolLM, trained by Hugging Face"),
    dict(file="llama3-meta-llama-3-8b-instruct.jinja", family="llama3", bos="<|begin_of_text|>", eos="<|eot_id|>",
         by_name=True),
    dict(file="llama3-llama-3.1-8b-instruct.jinja", family="llama3", bos="<|begin_of_text|>", eos="<|eot_id|>",
         variant={"date_lines": True}),
    dict(file="llama3-llama-3.2-3b-instruct.jinja", family="llama3", bos="<|begin_of_text|>", eos="<|eot_id|>",
         variant={"date_lines": True}),
    dict(file="llama2-llama-2-7b-chat.jinja", family="llama2", bos="<s>", eos="</s>", by_name=True),
    dict(file="llama2-transformers-default-system.jinja", family="llama2", bos="<s>", eos="</s>",
         default_system="llama2-default"),
    dict(file="mistral-v1-mixtral-8x7b-instruct-v0.1.jinja", family="mistral-v1", bos="<s>", eos="</s>",
         by_name=True),
    dict(file="mistral-v1-mixtral-8x7b-instruct-v0.1-original.jinja", family="mistral-v1", bos="<s>", eos="</s>",
         variant={"legacy": True}),
    dict(file="mistral-v1-mistral-7b-instruct-v0.1-original.jinja", family="mistral-v1", bos="<s>", eos="</s>",
         variant={"legacy": True}),
    dict(file="mistral-v3-mistral-7b-instruct-v0.3.jinja", family="mistral-v3", bos="<s>", eos="</s>", by_name=True),
    dict(file="mistral-v3-mistral-nemo-instruct-2407.jinja", family="mistral-v3", bos="<s>", eos="</s>",
         variant={"tekken": True}),
    dict(file="mistral-v7-mistral-small-24b-instruct-2501.jinja", family="mistral-v7", bos="<s>", eos="</s>",
         by_name=True),
    dict(file="mistral-v7-devstral-small-2505.jinja", family="mistral-v7", bos="<s>", eos="</s>",
         default_system=devstral_default_system(), strftime_now=True),
    # Gemma 2 raises on a system message; Whetstone renders it as Gemma 3 does.
    dict(file="gemma-gemma-2-2b-it.jinja", family="gemma", bos="<bos>", eos="<eos>", by_name=True,
         system_is_extension=True),
    dict(file="gemma-gemma-3-270m-it.jinja", family="gemma", bos="<bos>", eos="<eos>", by_name=True),
    dict(file="phi3-phi-3-mini-4k-instruct.jinja", family="phi3", bos="<s>", eos="<|endoftext|>", by_name=True),
    dict(file="phi3-phi-3.5-mini-instruct.jinja", family="phi3", bos="<s>", eos="<|endoftext|>",
         variant={"skip_empty_system": True}),
    dict(file="zephyr-zephyr-7b-beta.jinja", family="zephyr", bos="<s>", eos="</s>", by_name=True),
    dict(file="alpaca-whetstone.jinja", family="alpaca", bos="<s>", eos="</s>", by_name=True,
         default_system=STANFORD_PREAMBLE),
]


def system(text):
    return {"role": "system", "content": text}


def user(text):
    return {"role": "user", "content": text}


def assistant(text, train=True):
    return {"role": "assistant", "content": text, "train": train}


CONVERSATIONS = [
    ("single", [user("Hello, who are you?")], True),
    ("single-no-prompt", [user("Hello, who are you?")], False),
    ("system-user-assistant", [
        system("You are a concise assistant."),
        user("What is the capital of France?"),
        assistant("Paris."),
    ], False),
    ("multi-turn", [
        system("You answer in one sentence."),
        user("Name a primary colour."),
        assistant("Red is a primary colour."),
        user("Name another one."),
        assistant("Blue is another primary colour."),
        user("And a third?"),
        assistant("Yellow completes the set."),
    ], False),
    ("multi-turn-prompt", [
        system("You answer in one sentence."),
        user("Name a primary colour."),
        assistant("Red is a primary colour."),
        user("Name another one."),
        assistant("Blue is another primary colour."),
        user("And a third?"),
    ], True),
    ("no-system", [
        user("Write a haiku about rain."),
        assistant("Soft rain on the roof\nthe gutters hum their one note\nthe cat will not move"),
        user("Now one about snow."),
        assistant("White hush on the street\nfootprints fill before morning\nthe kettle sings twice"),
    ], False),
    ("special-text", [
        system("  Speak like a pirate.\nAlways.  "),
        user(" What does <|im_end|> mean? [INST] is not a tag here.\n\nAnd é, 日本語, 🦜? "),
        assistant("\n  Arr, <|eot_id|> and [/INST] be plain text, matey! é 日本語 🦜  \n"),
        user("Thanks!\n"),
    ], True),
    ("untrained-turn", [
        user("Hi there."),
        assistant("Hello! How can I help?", train=False),
        user("Say goodbye."),
        assistant("Goodbye!"),
    ], False),
    ("empty-system", [system(""), user("Hi")], True),
    ("system-only", [system("Only a system message.")], True),
    # What Python's str.strip() (and so Jinja's trim) counts as whitespace.
    ("unicode-whitespace", [
        user("\x0b\x1c\u00a0Tabs\tand\u3000spaces\u2029\x85"),
        assistant("\u200bZero width is not space\u200b\u2003\x1f"),
    ], False),
    # Orders some templates refuse.
    ("user-user", [user("First question."), user("Second question.")], True),
    ("assistant-first", [assistant("I speak first."), user("Fine.")], True),
    ("system-assistant", [system("Be brief."), assistant("I speak first."), user("Fine.")], True),
]


def raise_exception(message):
    raise TemplateError(message)


def render(env, source, t, messages, add_generation_prompt):
    template = env.from_string(source)
    kwargs = dict(messages=[{"role": m["role"], "content": m["content"]} for m in messages],
                  bos_token=t["bos"], eos_token=t["eos"], add_generation_prompt=add_generation_prompt)
    return template.render(**kwargs)


def expected_segments(t, messages, default_system):
    """The conversation text the template puts in the output, in order, and
    the text trained on for each assistant turn (its content as the template
    writes it and the end-of-turn markup that follows)."""
    family = t["family"]
    variant = t.get("variant", {})
    eos = t["eos"]
    contents = []
    spans = []

    def add(text):
        if text:
            contents.append(text)

    def trained(message, text, end):
        if message.get("train", True):
            spans.append(text + end)

    sys_text = messages[0]["content"] if messages[0]["role"] == "system" else None
    rest = messages[1:] if sys_text is not None else messages

    if family == "chatml":
        add(sys_text if sys_text is not None else default_system)
        for m in rest:
            add(m["content"])
            if m["role"] == "assistant":
                trained(m, m["content"], "<|im_end|>")
    elif family == "llama3":
        if sys_text is not None:
            add(sys_text.strip())
        for m in rest:
            add(m["content"].strip())
            if m["role"] == "assistant":
                trained(m, m["content"].strip(), "<|eot_id|>")
    elif family == "llama2":
        if sys_text is None and default_system and "<<SYS>>" not in rest[0]["content"]:
            sys_text = default_system
        for i, m in enumerate(rest):
            if i == 0 and sys_text is not None:
                assert m["content"].strip(), "the first turn must have text for this split"
                add(sys_text)
                add(m["content"].rstrip())
            else:
                add(m["content"].strip())
            if m["role"] == "assistant":
                trained(m, m["content"].strip(), " " + eos)
    elif family == "mistral-v1":
        for i, m in enumerate(rest):
            if i == 0 and sys_text is not None:
                add(sys_text)
            add(m["content"])
            if m["role"] == "assistant":
                trained(m, m["content"], eos)
    elif family == "mistral-v3":
        for i, m in enumerate(rest):
            text = m["content"]
            if m["role"] == "user" and i == len(rest) - 1 and sys_text is not None:
                add(sys_text)
            if m["role"] == "assistant" and not variant.get("tekken"):
                text = text.strip()
            add(text)
            if m["role"] == "assistant":
                trained(m, text, eos)
    elif family == "mistral-v7":
        add(sys_text if sys_text is not None else default_system)
        for m in rest:
            add(m["content"])
            if m["role"] == "assistant":
                trained(m, m["content"], eos)
    elif family == "gemma":
        if rest:
            add(sys_text)
        for m in rest:
            add(m["content"].strip())
            if m["role"] == "assistant":
                trained(m, m["content"].strip(), "<end_of_turn>")
    elif family in ("phi3", "zephyr"):
        add(sys_text)
        end = "<|end|>" if family == "phi3" else eos
        for m in rest:
            add(m["content"])
            if m["role"] == "assistant":
                trained(m, m["content"], end)
    elif family == "alpaca":
        add(sys_text if sys_text is not None else default_system)
        for m in rest:
            add(m["content"])
            if m["role"] == "assistant":
                trained(m, m["content"], eos)
    else:
        raise ValueError(family)
    return contents, spans


def transformers_render(source, t, messages, add_generation_prompt):
    try:
        from transformers.utils.chat_template_utils import _compile_jinja_template
    except ImportError:
        return None
    compiled = _compile_jinja_template(source)
    return compiled.render(messages=[{"role": m["role"], "content": m["content"]} for m in messages],
                           bos_token=t["bos"], eos_token=t["eos"], add_generation_prompt=add_generation_prompt)


def main():
    env = ImmutableSandboxedEnvironment(trim_blocks=True, lstrip_blocks=True)
    env.globals["raise_exception"] = raise_exception

    llama2_template, llama2_default = llama2_default_system_template()
    derived = HERE / "llama2-transformers-default-system.jinja"
    if not derived.exists() or derived.read_text(encoding="utf-8") != llama2_template:
        derived.write_text(llama2_template, encoding="utf-8")

    out_templates = []
    out_goldens = []
    out_errors = []
    cross_checked = 0
    for t in TEMPLATES:
        source = (HERE / t["file"]).read_text(encoding="utf-8")
        default_system = t.get("default_system")
        if default_system == "llama2-default":
            default_system = llama2_default
        t_env = env
        if t.get("strftime_now"):
            t_env = ImmutableSandboxedEnvironment(trim_blocks=True, lstrip_blocks=True)
            t_env.globals["raise_exception"] = raise_exception
            t_env.globals["strftime_now"] = strftime_sentinel
        out_templates.append(dict(file=t["file"], family=t["family"], bos_token=t["bos"], eos_token=t["eos"],
                                  default_system=default_system, by_name=t.get("by_name", False)))
        for name, messages, add_generation_prompt in CONVERSATIONS:
            has_system = messages[0]["role"] == "system"
            if has_system and t.get("system_is_extension"):
                continue
            record = dict(template=t["file"], conversation=name, messages=messages,
                          add_generation_prompt=add_generation_prompt)
            try:
                text = render(t_env, source, t, messages, add_generation_prompt)
            except TemplateError as e:
                record["jinja_error"] = str(e)
                out_errors.append(record)
                continue
            if "strftime_now" not in source:
                reference = transformers_render(source, t, messages, add_generation_prompt)
                if reference is not None:
                    assert reference == text, (t["file"], name)
                    cross_checked += 1
            contents, spans = expected_segments(t, messages, default_system)
            record.update(expected=text, contents=contents, assistant_spans=spans)
            out_goldens.append(record)

    out = {
        "comment": "Written by make-goldens.py: do not edit.",
        "strftime_sentinel": strftime_sentinel("FORMAT"),
        "templates": out_templates,
        "goldens": out_goldens,
        "errors": out_errors,
    }
    with open(HERE / "goldens.json", "w", encoding="utf-8") as f:
        json.dump(out, f, ensure_ascii=False, indent=1)
        f.write("\n")
    print(f"{len(out_goldens)} goldens, {len(out_errors)} expected errors, "
          f"{cross_checked} checked against transformers", file=sys.stderr)


if __name__ == "__main__":
    main()
