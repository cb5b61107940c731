#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Write the dataset files that test-record-reader reads.

Run from the repository root:

    python3 tests/reference/datasets/make-fixtures.py          # (re)write
    python3 tests/reference/datasets/make-fixtures.py --check  # verify only

Each file imitates what a program people use writes (Excel, LibreOffice,
pandas, a text editor), including the damage the reader must report.  The
script only uses the standard library and writes the same bytes on every
run.  What each file is for, and what the test expects of it, is in
README.md; the line numbers the test checks are noted beside each file.
"""

import io
import json
import os
import sys
import zipfile

HERE = os.path.dirname(os.path.abspath(__file__))

FILES = {}


def add(name, data):
    if isinstance(data, str):
        data = data.encode("utf-8")
    FILES[name] = data


# Excel's "CSV UTF-8": a byte-order mark, CRLF after each row, LF inside
# cells (Alt+Enter), quotes doubled.  Rows start on lines 2, 3, 5, 6.
add("excel.csv",
    "\ufeffid,question,answer\r\n"
    '1,"What is ""AI""?","Artificial intelligence.\nSee also: ML."\r\n'
    "2,Capital of France?,Paris\r\n"
    '3,"Two, with a comma","Yes; and a ""quote"""\r\n'
    '4,Café?,"Multi\nline\nanswer"\r\n')

# A European Excel: semicolons, decimal commas.
add("semicolon.csv",
    "product;price;note\n"
    "apple;1,50;fresh, red\n"
    "pear;2,25;\"ripe; soft\"\n"
    "plum;0,99;dried\n")

# Tab-separated, LF.
add("data.tsv",
    "instruction\tinput\toutput\n"
    "Translate to French\tGood morning\tBonjour\n"
    "Add the numbers\t2, 3\t5\n"
    "Quote this\t\"a\tb\"\tdone\n")

# No header: the first row is data (a number in it).
add("no-header.csv",
    "1,The cat sat on the mat.\n"
    "2,The dog sat on the log.\n"
    "3,\"A bird, in the hand.\"\n")

# Rows with too few and too many fields: lines 3 and 5.
add("ragged.csv",
    "prompt,completion\n"
    "Say hi,Hello there\n"
    "Only one field\n"
    "Say bye,Goodbye\n"
    "Too,many,fields\n"
    "Last,row\n")

# A quote opened on line 4, column 11, never closed.
add("unterminated.csv",
    "prompt,completion\n"
    "a,b\n"
    "c,d\n"
    'e,"f",g,h,"never closed\n'
    "i,j\n"
    "k,l\n")

# Latin-1 (not UTF-8) on line 12, column 30: "é" as the byte E9.
rows = ["id,text"] + ["%d,Plain ASCII row number %d" % (i, i) for i in range(1, 11)]
prefix = "11,Latin-1 text: the creme br"
assert len(prefix) == 29
bad = prefix.encode() + b"\xe9l\xe9e and caf\xe9"
add("bad-utf8.csv",
    ("\n".join(rows) + "\n").encode() + bad + b"\n12,Fine again\n13,Also fine\n")

# JSON Lines with a byte-order mark and CRLF; line 5 is broken, line 7
# blank; 8 good records.
good = [{"prompt": "Question %d" % i, "completion": "Answer %d" % i} for i in range(1, 10)]
lines = [json.dumps(r, ensure_ascii=False) for r in good]
lines[4] = '{"prompt": "Question 5", "completion": }'
lines.insert(6, "")
add("broken.jsonl", "\ufeff" + "\r\n".join(lines) + "\r\n")

# JSON Lines saved as .json, as many datasets are.
add("lines.json",
    '{"text": "first"}\n'
    '{"text": "second"}\n'
    '{"text": "third"}\n')

# A JSON array, pretty-printed: elements start on lines 2, 3, 8, 9, 10, 11;
# the one on line 9 is broken; strings hold brackets, braces, commas and
# escaped quotes and backslashes.
add("nested.json",
    "[\n"
    ' {"text": "brackets ] } [ { and commas, inside", "n": 1},\n'
    " {\n"
    '   "messages": [{"role": "user", "content": "say \\"hi\\" [ok]"},\n'
    '                {"role": "assistant", "content": "hi \\\\ there }"}],\n'
    '   "meta": {"tags": ["a", "b"], "deep": {"deeper": [[1], [2, [3]]]}}\n'
    " },\n"
    ' {"text": "\\u00e9t\\u00e9 \\ud83d\\ude00"},\n'
    ' {"text": "broken" "no colon"},\n'
    ' "a bare string",\n'
    ' {"text": "last"}\n'
    "]\n")

# One object, not a list of records.
add("single-object.json",
    json.dumps({"data": [{"text": "a"}, {"text": "b"}], "version": 1}, indent=2) + "\n")

# Documents separated by blank lines (and a line of spaces), CRLF and LF.
add("paragraphs.txt",
    "\r\n"
    "First document,\r\n"
    "on two lines.\r\n"
    "\r\n"
    "   \r\n"
    "Second document.\n"
    "\n"
    "\n"
    "Third document,\n"
    "  indented line.\n")

# Excel's "Unicode Text": UTF-16LE with a byte-order mark, tabs, CRLF.
add("unicode-text.txt",
    "\ufeffname\tgreeting\r\n"
    "Zoë\tBonjour, ça va ?\r\n"
    "Hiro\t日本語のテキスト\r\n"
    "Emoji\t\U0001F600 grin\r\n".encode("utf-16-le"))

# An Excel workbook (a ZIP holding [Content_Types].xml and xl/…), named
# .csv as people do.
buf = io.BytesIO()
with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
    for name, text in (("[Content_Types].xml", "<Types/>"),
                       ("xl/workbook.xml", "<workbook/>"),
                       ("xl/worksheets/sheet1.xml", "<worksheet/>")):
        z.writestr(zipfile.ZipInfo(name, date_time=(2026, 1, 1, 0, 0, 0)), text)
add("workbook.csv", buf.getvalue())

# Binary data with NUL bytes.
add("binary.dat", bytes(range(256)) * 4)


def main():
    check = "--check" in sys.argv
    bad = []
    for name, data in FILES.items():
        path = os.path.join(HERE, name)
        if check:
            with open(path, "rb") as f:
                if f.read() != data:
                    bad.append(name)
        else:
            with open(path, "wb") as f:
                f.write(data)
    total = sum(len(d) for d in FILES.values())
    if bad:
        sys.exit("differ: " + ", ".join(bad))
    print("%d files, %d bytes%s" % (len(FILES), total, ", all match" if check else ""))


if __name__ == "__main__":
    main()
