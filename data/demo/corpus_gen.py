# SPDX-License-Identifier: GPL-3.0-or-later
#
# corpus_gen.py: the random source of the demo model's corpus generators
# (make-corpus.py and the corpus_*.py modules), and the small word helpers
# they share.  Everything random goes
# through one Gen, so the same seed gives byte-identical files.

import random as _random


class Gen:
    """The random source; everything random goes through it."""

    def __init__(self, seed):
        self.r = _random.Random(seed)

    def pick(self, seq):
        return seq[self.r.randrange(len(seq))]

    def chance(self, p):
        return self.r.random() < p

    def randint(self, a, b):
        return self.r.randint(a, b)

    def sample(self, seq, k):
        return self.r.sample(list(seq), k)

    def shuffle(self, seq):
        self.r.shuffle(seq)


def an(word):
    w = word.lower()
    if w.startswith(("a", "e", "i", "o", "u")) and not w.startswith(("uni", "use", "eu", "one")):
        return "an " + word
    if w.startswith("hour"):
        return "an " + word
    return "a " + word


def cap(s):
    return s[:1].upper() + s[1:] if s else s


def join_list(items):
    if len(items) == 1:
        return items[0]
    if len(items) == 2:
        return items[0] + " and " + items[1]
    return ", ".join(items[:-1]) + " and " + items[-1]


def pick_weighted(g, pairs):
    """One item of (item, integer weight) pairs, as likely as its weight."""
    total = sum(w for _, w in pairs)
    x = g.r.randrange(total)
    for item, w in pairs:
        if x < w:
            return item
        x -= w
    return pairs[-1][0]
