"""The small condition language of scenario branches, e.g. `rapport >= 2 and not risk > 3`.

Pure Python. A condition is parsed with `ast` and every node is checked against a short
whitelist before it is turned into a closure: numbers, declared variable names,
comparisons, `and`/`or`/`not`, `+ - *` and parentheses. Nothing is ever passed to `eval`,
so a scenario file cannot run code, call functions, read attributes or subscripts.
"""
import ast
import operator

from .reasons import gettext_noop, render

MAX_LENGTH = 500

_COMPARE = {
    ast.Lt: operator.lt, ast.LtE: operator.le, ast.Gt: operator.gt,
    ast.GtE: operator.ge, ast.Eq: operator.eq, ast.NotEq: operator.ne,
}
_ARITHMETIC = {ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul}


class ConditionError(ValueError):
    """The condition is not in the language; the message says what is wrong, in plain English, and
    `template` and `params` say it again for a translation."""

    def __init__(self, template, **params):
        super().__init__(render(template, params))
        self.template, self.params = template, params


def compile_condition(text, variables):
    """A function (variables dict -> bool) for `text`; ConditionError when it is not allowed."""
    if not isinstance(text, str) or not text.strip():
        raise ConditionError(gettext_noop("the condition is empty"))
    if len(text) > MAX_LENGTH:
        raise ConditionError(gettext_noop("the condition is longer than %(limit)s characters"), limit=MAX_LENGTH)
    try:
        tree = ast.parse(text.strip(), mode="eval")
    except SyntaxError:
        raise ConditionError(gettext_noop("cannot read the condition %(condition)s"), condition=repr(text))
    return _build(tree.body, frozenset(variables))


def _build(node, names):
    if isinstance(node, ast.BoolOp):
        parts = [_build(value, names) for value in node.values]
        if isinstance(node.op, ast.And):
            return lambda v: all(part(v) for part in parts)
        return lambda v: any(part(v) for part in parts)
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
        inner = _build(node.operand, names)
        return lambda v: not inner(v)
    if isinstance(node, ast.Compare):
        terms = [_value(node.left, names)] + [_value(c, names) for c in node.comparators]
        ops = [_COMPARE.get(type(op)) for op in node.ops]
        if None in ops:
            raise ConditionError(gettext_noop("only <, <=, >, >=, == and != compare values"))

        def compare(v):
            values = [term(v) for term in terms]
            return all(op(values[i], values[i + 1]) for i, op in enumerate(ops))
        return compare
    if isinstance(node, ast.Constant) and isinstance(node.value, bool):
        return lambda v, value=node.value: value
    raise ConditionError(gettext_noop("%(part)s is not a condition (write e.g. rapport >= 2)"), part=_describe(node))


def _value(node, names):
    if isinstance(node, ast.Constant) and type(node.value) in (int, float):
        return lambda v, value=node.value: value
    if isinstance(node, ast.Name):
        if node.id not in names:
            raise ConditionError(gettext_noop("unknown variable %(name)s"), name=repr(node.id))
        return lambda v, name=node.id: v[name]
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
        inner = _value(node.operand, names)
        return lambda v: -inner(v)
    if isinstance(node, ast.BinOp) and type(node.op) in _ARITHMETIC:
        op, left, right = _ARITHMETIC[type(node.op)], _value(node.left, names), _value(node.right, names)
        return lambda v: op(left(v), right(v))
    raise ConditionError(gettext_noop("%(part)s is not allowed in a condition"), part=_describe(node))


def _describe(node):
    if isinstance(node, ast.Call):
        return gettext_noop("a function call"), {}
    if isinstance(node, ast.Attribute):
        return gettext_noop("an attribute"), {}
    if isinstance(node, ast.Constant):
        return gettext_noop("the value %(value)s"), {"value": repr(node.value)}
    return f"'{ast.unparse(node)}'"
