#!/usr/bin/env python3
"""Scores a text with an exported OK-RTRL model (model.json) using numpy only.

The same computation as `bin/okrtrl score` and the job's predictions (docs/ALGORITHMS.md): for
every character (code point) its surprise in bits under the prediction made before it (null at
the start), then the most likely next symbols; one JSON line per character.

    python3 scripts/score.py --model model.json --text input.txt --out scores.jsonl [--top-k 3]
"""
import argparse
import json
import math
import sys

import numpy as np

MIN_PROBABILITY = 1e-300


def load(path):
    with open(path, encoding="utf-8") as f:
        m = json.load(f)
    if m.get("format") != "okrtrl-model":
        sys.exit(f"{path}: not an okrtrl-model file")
    if m.get("version") != 1:
        sys.exit(f"{path}: model format version {m.get('version')}, this script reads 1")
    if m.get("link") != "softmax" or not m.get("vocabulary"):
        sys.exit(f"{path}: a symbol model (softmax readout and a vocabulary) is needed")
    w = np.array(m["W"]["values"], dtype=np.float64).reshape(m["W"]["rows"], m["W"]["cols"])
    v = np.array(m["V"]["values"], dtype=np.float64).reshape(m["V"]["rows"], m["V"]["cols"])
    return m, w, v


class Scorer:
    """One sequence through a fixed model: the cell's forward pass and the softmax readout."""

    def __init__(self, m, w, v):
        self.cell, self.n, self.inputs = m["cell"], m["hidden"], m["inputs"]
        self.w, self.v = w, v
        self.symbols = m["vocabulary"]["symbols"]
        self.unknown = m["vocabulary"]["unknown"]
        self.index = {}
        for i, s in enumerate(self.symbols):
            self.index.setdefault(s, i)
        self.h = np.zeros(self.n)
        self.p = None

    def lookup(self, symbol):
        return self.index.get(symbol, self.unknown)

    def observe(self, symbol):
        bits = None
        if self.p is not None:
            bits = -math.log(max(self.p[symbol], MIN_PROBABILITY)) / math.log(2)
        a = np.zeros(self.inputs + self.n + 1)
        a[symbol] = 1.0
        a[self.inputs:self.inputs + self.n] = self.h
        a[-1] = 1.0
        z = self.w @ a
        if self.cell == "rhn":
            c = np.tanh(z[:self.n])
            f = 1.0 / (1.0 + np.exp(-z[self.n:]))
            self.h = f * self.h + (1.0 - f) * c
        elif self.cell == "rnn":
            self.h = np.tanh(z)
        else:
            sys.exit(f"unknown cell {self.cell}")
        logits = self.v[:, :self.n] @ self.h + self.v[:, self.n]
        e = np.exp(logits - logits.max())
        self.p = e / e.sum()
        return bits


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", required=True)
    parser.add_argument("--text", required=True)
    parser.add_argument("--out", required=True)
    parser.add_argument("--top-k", type=int, default=3)
    args = parser.parse_args()
    m, w, v = load(args.model)
    scorer = Scorer(m, w, v)
    with open(args.text, encoding="utf-8") as f:
        text = f.read()
    total, scored = 0.0, 0
    with open(args.out, "w", encoding="utf-8") as out:
        for position, symbol in enumerate(text):
            index = scorer.lookup(symbol)
            if index < 0:
                sys.exit(f"'{symbol}' at position {position} is outside the vocabulary, which has no unknown symbol")
            bits = scorer.observe(index)
            if bits is not None:
                total += bits
                scored += 1
            order = sorted(range(len(scorer.p)), key=lambda i: (-scorer.p[i], i))[:args.top_k]
            top = [{"symbol": scorer.symbols[i], "p": float(scorer.p[i])} for i in order]
            out.write(json.dumps({"position": position, "symbol": symbol, "surprise_bits": bits, "top": top},
                                 ensure_ascii=False) + "\n")
    print(f"scored {len(text)} steps, {total / scored if scored else float('nan'):.4f} bits per character")


if __name__ == "__main__":
    main()
