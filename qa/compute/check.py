"""Recompute a computed answer from what it cites: every input is re-read from its printed cell, and the formula
as written is evaluated again, independently of the code that produced it."""
from __future__ import annotations

import ast
import operator
from decimal import Decimal, InvalidOperation

from corpus.model import Filing
from qa.figures.numbers import parse_number
from qa.figures.tables import Fact
from qa.model import Check

_OPS = {ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul, ast.Div: operator.truediv,
        ast.Pow: operator.pow}
_SCALES = (1, 1_000, 1_000_000, 1_000_000_000)


def evaluate(expression: str) -> Decimal:
    """The value of an arithmetic expression as a formula prints it ("(668 − 716) / 716 × 100", a compound rate's
    "(5 / 4) ^ (1 / 2)"), in Decimal. Only numbers, + − × / ^ and parentheses; anything else raises ValueError."""
    text = expression.replace("−", "-").replace("×", "*").replace(",", "").replace("%", "").replace("^", "**")
    try:
        tree = ast.parse(text.strip(), mode="eval")
    except SyntaxError as exc:
        raise ValueError(f"not an arithmetic expression: {expression!r}") from exc

    def walk(node: ast.AST) -> Decimal:
        if isinstance(node, ast.Expression):
            return walk(node.body)
        if isinstance(node, ast.BinOp) and type(node.op) in _OPS:
            return _OPS[type(node.op)](walk(node.left), walk(node.right))
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
            return -walk(node.operand)
        if isinstance(node, ast.Constant) and isinstance(node.value, (int, float)):
            return Decimal(ast.get_source_segment(text, node) or str(node.value))
        raise ValueError(f"not an arithmetic expression: {expression!r}")

    return walk(tree)


def printed_value_matches(filing: Filing, fact: Fact) -> bool:
    """The cited cell, re-read, prints the input's value (at one of the scales a table caption gives)."""
    printed = filing.text[fact.start:fact.end]
    try:
        q = parse_number(printed.replace("( ", "(").replace(" )", ")").replace("$ ", "$"))
    except ValueError:
        return False
    return any(abs(q.value) * scale == abs(fact.value) for scale in _SCALES) or abs(q.value) == abs(fact.value)


def recheck(formula: str, value: Decimal, inputs: tuple[Fact, ...], filing: Filing) -> Check:
    """Verified when every input is its printed cell and the formula, evaluated again, gives `value`."""
    unread = [f for f in inputs if not printed_value_matches(filing, f)]
    if unread:
        return Check(formula, "mismatch", f"the cell cited for {unread[0].metric} does not print {unread[0].value:,}", "computed")
    left = formula.rsplit("=", 1)[0]
    try:
        again = evaluate(left)
    except (ValueError, InvalidOperation, ZeroDivisionError):
        return Check(formula, "unverifiable", "the formula could not be evaluated again", "computed")
    if abs(again - value) <= max(abs(value) * Decimal("0.000001"), Decimal("0.005")):
        return Check(formula, "verified", f"recomputed from the {len(inputs)} cited cells: {formula}", "computed")
    return Check(formula, "mismatch", f"recomputing gives {again}, not {value}", "computed")


def recheck_pick(picked: Fact, inputs: tuple[Fact, ...], filing: Filing, most: bool) -> Check:
    """Verified when every input is its printed cell and `picked` is the largest (`most`) or smallest of them."""
    names = ", ".join(f"{f.metric} {f.value:,}" for f in inputs)
    formula = f"{'max' if most else 'min'}({names}) = {picked.metric}"
    unread = [f for f in inputs if not printed_value_matches(filing, f)]
    if unread:
        return Check(formula, "mismatch", f"the cell cited for {unread[0].metric} does not print {unread[0].value:,}", "computed")
    best = (max if most else min)(f.value for f in inputs)
    if picked.value == best:
        return Check(formula, "verified", f"compared again from the {len(inputs)} cited cells", "computed")
    return Check(formula, "mismatch", f"{picked.metric} is not the {'largest' if most else 'smallest'} of the cited cells", "computed")
