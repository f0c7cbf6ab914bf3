"""Malformed-spec generator for tests/test_fuzz.py: mutations of valid specs.

Each example is built from a seeded `random.Random`, so example i of seed s is the same on
every machine: a failure names (seed, index) and can be replayed with
`python3 -m tests.fuzzing SEED INDEX` (prints the spec).

Mutations work on two levels:
- the YAML tree of a valid seed spec (deleted, renamed and added keys, swapped types,
  random expressions, deleted/duplicated/moved list items, random layer entries),
  written back with PyYAML;
- the text (truncation, deleted/duplicated/swapped lines, inserted punctuation and YAML
  syntax, replaced tokens, changed indentation).
"""
from __future__ import annotations

import copy
import glob
import os
import random
import re
import sys

import yaml

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
SEED_DIRS = (os.path.join(ROOT, "tests", "data", "valid"), os.path.join(ROOT, "specs"))

# words the language knows: mutations rename keys to these, or to near-misses of them
KINDS = ("conv", "dwconv", "fc", "bn", "relu", "relu6", "maxpool", "avgpool", "gap", "add",
         "concat", "split", "mul", "shuffle", "select", "repeat", "table", "residual",
         "flatten", "dropout", "lrn", "leaky", "sigmoid", "hsigmoid", "swish", "hswish", "tanh")
KEYS = ("name", "version", "symbols", "input", "defaults", "blocks", "layers", "published",
        "params", "body", "n", "block", "columns", "rows", "branches", "sizes", "default",
        "multiple_of", "source", "convention", "at", "madds", "flops", "mem_access",
        "c", "k", "s", "p", "g", "d", "bias", "ceil", "slope", "rate", "size", "stride") + KINDS
NAMES = ("cin", "hin", "win", "alpha", "resolution", "width", "c", "t", "n", "s", "r", "e",
         "k", "g", "squeeze", "expand", "x", "E", "N", "S", "beta", "lambda_", "in_", "nan")
FUNCS = ("min", "max", "floor", "ceil", "make_divisible", "abs", "pow", "eval", "__import__",
         "open", "exec", "round")
ODD_EXPRS = ("10**10**10", "2**64", "1e999", "-0", "0", "-1", "1/0", "1//0", "0.0", "3x3",
             "__import__('os').system('true')", "().__class__", "lambda: 1", "a.b", "x[0]",
             "1 if 1 else 2", "1 < 2", "not 1", "1 and 2", "[1, 2]", "{1: 2}", "'s'", "f'{1}'",
             "(x := 1)", "*a", "1,", "", " ", "((1)", "1)", "make_divisible()",
             "make_divisible(8, 0)", "min(1)", "max(*x)", "floor(1, 2)", "ceil(k=1)",
             "9" * 40, "1e18", "1e19", "1_000", "0x10", "0o10", "0b1", "1j", "True", "None",
             "...", "yield 1", "await x", "%d", "1 % 2", "~1", "1 << 2", "1 @ 2", "1 ^ 2")
SCALARS = (0, -1, 1, 2, 3, 7, 1000000, 10 ** 12, 10 ** 19, 0.5, 1.5, -0.25, 1e-9, True, False,
           None, "", "x", "same", "valid", "full", "no", "on", "010", "1e3", "3x3", "~", "null",
           "NaN", ".inf", "-.inf", "0x1F", "1:2", "- a", "{}", "[]", "*a", "&a", "!!str 3")
TEXT_BITS = (":", "-", "- ", "[", "]", "{", "}", ",", "*", "&", "!", "!!", "|", ">", "'", '"',
             "#", "%", "@", "`", "?", "? ", ": ", "\t", "\n", "  ", "---\n", "...\n", "&a ", "*a",
             "!!python/object/apply:os.system ['true'] ", "!!binary ", "!!set ", "!foo ",
             "<<: ", "\u00a0", "\ufeff", "\x00", "\x07", "\u2028", "\x85", "\r", "\r\n", "é",
             "∞", "0x", "1e",
             "yes", "no", "on", "off", "~", "null", "010", "1_0", "9" * 30)


def seed_specs() -> list:
    """(path, text, tree) of every valid seed: tests/data/valid/*.yaml, then specs/*.yaml."""
    out = []
    for d in SEED_DIRS:
        for path in sorted(glob.glob(os.path.join(d, "*.yaml"))):
            with open(path, encoding="utf-8") as f:
                text = f.read()
            out.append((path, text, yaml.safe_load(text)))
    return out


# -- tree walking --------------------------------------------------------------------------
def _containers(tree) -> list:
    """Every dict and list in the tree (each with its parent and key), root first."""
    out, stack = [], [(tree, None, None)]
    while stack:
        node, parent, key = stack.pop()
        if isinstance(node, (dict, list)):
            out.append((node, parent, key))
            items = node.items() if isinstance(node, dict) else enumerate(node)
            for k, v in items:
                stack.append((v, node, k))
    return out


def _slots(tree) -> list:
    """(container, key) for every value in the tree."""
    out = []
    for node, _, _ in _containers(tree):
        keys = list(node) if isinstance(node, dict) else range(len(node))
        out.extend((node, k) for k in keys)
    return out


# -- random pieces -------------------------------------------------------------------------
def typo(rng: random.Random, word: str) -> str:
    """A near-miss of `word`: one character dropped, doubled, swapped or replaced."""
    if not word:
        return rng.choice(KEYS)
    i = rng.randrange(len(word))
    op = rng.randrange(4)
    if op == 0:
        return word[:i] + word[i + 1:] or word + "x"
    if op == 1:
        return word[:i] + word[i] + word[i:]
    if op == 2 and len(word) > 1:
        j = min(i + 1, len(word) - 1)
        chars = list(word)
        chars[i], chars[j] = chars[j], chars[i]
        return "".join(chars)
    return word[:i] + rng.choice("abcdefghijklmnopqrstuvwxyz_0") + word[i + 1:]


def expression(rng: random.Random, depth: int = 0) -> str:
    """A random expression: mostly grammatical, sometimes not."""
    roll = rng.random()
    if depth > 3 or roll < 0.3:
        return rng.choice((str(rng.choice((0, 1, 2, 3, 8, 16, 24, 32, 64, 100, 224))),
                           rng.choice(NAMES), rng.choice(ODD_EXPRS), f"{rng.randint(1, 9)}/{rng.randint(1, 9)}"))
    if roll < 0.7:
        op = rng.choice(("+", "-", "*", "/", "//", "**", "%", " ", ",", "*-"))
        return f"{expression(rng, depth + 1)}{op}{expression(rng, depth + 1)}"
    if roll < 0.9:
        args = ", ".join(expression(rng, depth + 1) for _ in range(rng.randint(0, 4)))
        return f"{rng.choice(FUNCS)}({args})"
    return f"({expression(rng, depth + 1)})"


def random_value(rng: random.Random, depth: int = 0):
    """A value of any YAML type, including nested lists and mappings."""
    roll = rng.random()
    if roll < 0.45 or depth > 2:
        return rng.choice(SCALARS)
    if roll < 0.7:
        return expression(rng)
    if roll < 0.85:
        return [random_value(rng, depth + 1) for _ in range(rng.randint(0, 3))]
    return {rng.choice(KEYS): random_value(rng, depth + 1) for _ in range(rng.randint(0, 3))}


def random_entry(rng: random.Random):
    """A random layer entry: a kind with random (often wrong) arguments, or a construct."""
    kind = rng.choice(KINDS)
    roll = rng.random()
    if roll < 0.25:
        return kind
    if roll < 0.8:
        return {kind: {rng.choice(("c", "k", "s", "p", "g", "d", "bias", "ceil", "n", "body",
                                   "sizes", "branches", "size", "slope")): random_value(rng)
                       for _ in range(rng.randint(0, 3))}}
    return {kind: [[random_entry(rng)] if rng.random() < 0.5 else [] for _ in range(rng.randint(0, 3))]}


# -- mutations ----------------------------------------------------------------------------
def _delete_key(rng, tree):
    maps = [c for c, _, _ in _containers(tree) if isinstance(c, dict) and c]
    if maps:
        m = rng.choice(maps)
        del m[rng.choice(list(m))]


def _rename_key(rng, tree):
    maps = [c for c, _, _ in _containers(tree) if isinstance(c, dict) and c]
    if maps:
        m = rng.choice(maps)
        old = rng.choice(list(m))
        new = typo(rng, str(old)) if rng.random() < 0.6 else rng.choice(KEYS)
        m[new] = m.pop(old)


def _add_key(rng, tree):
    maps = [c for c, _, _ in _containers(tree) if isinstance(c, dict)]
    if maps:
        rng.choice(maps)[rng.choice(KEYS)] = random_value(rng)


def _swap_type(rng, tree):
    slots = _slots(tree)
    if slots:
        node, key = rng.choice(slots)
        node[key] = random_value(rng)


def _random_expression(rng, tree):
    slots = [(n, k) for n, k in _slots(tree) if not isinstance(n[k], (dict, list))]
    if slots:
        node, key = rng.choice(slots)
        node[key] = expression(rng)


def _change_number(rng, tree):
    slots = [(n, k) for n, k in _slots(tree) if isinstance(n[k], (int, float)) and not isinstance(n[k], bool)]
    if slots:
        node, key = rng.choice(slots)
        node[key] = rng.choice((0, -1, 1, 2, 3, 5, 7, 1000, 10 ** 9, 10 ** 18, 2 ** 40,
                                node[key] + 1, node[key] * 2, -node[key], 0.5, 1.5))


def _list_surgery(rng, tree):
    lists = [c for c, _, _ in _containers(tree) if isinstance(c, list)]
    if not lists:
        return
    lst = rng.choice(lists)
    op = rng.randrange(4)
    if op == 0 and lst:
        del lst[rng.randrange(len(lst))]
    elif op == 1 and lst:
        lst.insert(rng.randrange(len(lst) + 1), copy.deepcopy(rng.choice(lst)))
    elif op == 2:
        lst.insert(rng.randrange(len(lst) + 1), random_entry(rng))
    elif lst:
        other = rng.choice(lists)
        item = lst.pop(rng.randrange(len(lst)))
        other.insert(rng.randrange(len(other) + 1), item)


def _wrap(rng, tree):
    slots = _slots(tree)
    if slots:
        node, key = rng.choice(slots)
        node[key] = [node[key]] if rng.random() < 0.5 else {rng.choice(KEYS): node[key]}


TREE_MUTATIONS = (_delete_key, _rename_key, _add_key, _swap_type, _random_expression,
                  _random_expression, _change_number, _list_surgery, _list_surgery, _wrap)


def _truncate(rng, text):
    return text[:rng.randrange(len(text) + 1)]


def _lines(rng, text):
    lines = text.split("\n")
    i, j = rng.randrange(len(lines)), rng.randrange(len(lines))
    op = rng.randrange(3)
    if op == 0:
        del lines[i]
    elif op == 1:
        lines.insert(i, lines[j])
    else:
        lines[i], lines[j] = lines[j], lines[i]
    return "\n".join(lines)


def _insert_bits(rng, text):
    for _ in range(rng.randint(1, 3)):
        i = rng.randrange(len(text) + 1)
        text = text[:i] + rng.choice(TEXT_BITS) + text[i:]
    return text


def _replace_token(rng, text):
    tokens = list(re.finditer(r"[A-Za-z_][A-Za-z_0-9]*|[0-9]+", text))
    if not tokens:
        return text
    t = rng.choice(tokens)
    new = rng.choice((typo(rng, t.group()), rng.choice(KEYS), rng.choice(NAMES),
                      expression(rng), str(rng.choice(SCALARS)), rng.choice(ODD_EXPRS)))
    return text[:t.start()] + new + text[t.end():]


def _indent(rng, text):
    lines = text.split("\n")
    i = rng.randrange(len(lines))
    lines[i] = (" " * rng.randint(1, 5) + lines[i]) if rng.random() < 0.5 else lines[i].lstrip()
    return "\n".join(lines)


TEXT_MUTATIONS = (_truncate, _lines, _insert_bits, _replace_token, _replace_token, _indent)


def mutate(rng: random.Random, seeds: list) -> str:
    """One malformed spec: 1 to 3 mutations of a random seed, on its tree or its text."""
    _, text, tree = seeds[rng.randrange(len(seeds))]
    if rng.random() < 0.6:
        tree = copy.deepcopy(tree)
        for _ in range(rng.randint(1, 3)):
            rng.choice(TREE_MUTATIONS)(rng, tree)
        text = yaml.dump(tree, Dumper=DUMPER, default_flow_style=rng.choice((None, False, True)),
                         sort_keys=False, allow_unicode=True, width=rng.choice((80, 10 ** 6)))
    for _ in range(rng.choice((0, 0, 1, 1, 2))):
        text = rng.choice(TEXT_MUTATIONS)(rng, text)
    return text


def example(seed: int, index: int, seeds: list) -> str:
    """Example `index` of run `seed` (reproducible)."""
    return mutate(random.Random(seed * 1_000_003 + index), seeds)


if __name__ == "__main__":
    sys.stdout.write(example(int(sys.argv[1]), int(sys.argv[2]), seed_specs()))
