"""The Jinja sandbox that organisers' own certificate designs run in, with limits on size.

Jinja's SandboxedEnvironment stops attribute tricks (`__class__`, …) but not sheer size:
`{{ 'a' * 10**8 }}` is a 100 MB string, `10**10**8` never finishes, and Jinja folds constant
expressions (operators and filters such as `center`, `format`) while *compiling*, so a 50 kB
template could build a 100 MB constant before it was ever rendered. Here:

- constant folding is off (no optimizer, and output expressions are never evaluated at
  compile time), so compiling costs only what the source's length costs;
- the arithmetic operators are intercepted at run time: repeating a string or list, adding
  two of them and raising to a power are refused beyond MAX_SEQUENCE items or MAX_POWER_BITS;
- `range()` stops at MAX_RANGE items; the rendered text stops at a cap (render_capped).

What is still possible (loops within those sizes nested in one another, a `namespace` doubled in
a loop) is bounded by the worker process the design runs in (forumapp.awards.own_designs): CPU
time, memory and wall-clock limits.
"""

from __future__ import annotations

import math

from jinja2 import StrictUndefined, nodes
from jinja2.compiler import CodeGenerator
from jinja2.exceptions import SecurityError
from jinja2.sandbox import SandboxedEnvironment

MAX_SEQUENCE = 100_000  # characters of a repeated/joined string, items of a list
MAX_POWER_BITS = 4096  # a ** b may be at most this large (in bits)
MAX_RANGE = 10_000  # items of range()


class DesignTooLarge(SecurityError):
    """A template asked for something larger than the limits allow. `what` is "sequence",
    "power", "range" or "html"; `size` what was asked, `limit` what is allowed."""

    def __init__(self, what: str, size: int, limit: int):
        super().__init__(f"{what}: {size} > {limit}")
        self.what, self.size, self.limit = what, size, limit

    def __reduce__(self):  # crosses the process boundary
        return (DesignTooLarge, (self.what, self.size, self.limit))


class _NoFoldingCodeGenerator(CodeGenerator):
    """Never evaluates an output expression at compile time (static text still is)."""

    def _output_child_to_const(self, node, frame, finalize):
        if not isinstance(node, nodes.TemplateData):
            raise nodes.Impossible()
        return super()._output_child_to_const(node, frame, finalize)


def _size(value) -> int | None:
    return len(value) if isinstance(value, str | bytes | list | tuple) else None


class LimitedSandbox(SandboxedEnvironment):
    code_generator_class = _NoFoldingCodeGenerator
    intercepted_binops = frozenset({"*", "**", "+"})
    max_sequence = MAX_SEQUENCE
    max_range = MAX_RANGE

    def __init__(self, **options):
        options.setdefault("autoescape", True)
        options.setdefault("undefined", StrictUndefined)
        super().__init__(optimized=False, **options)
        self.globals["range"] = self.limited_range

    def limited_range(self, *args: int) -> range:
        numbers = range(*args)
        if len(numbers) > self.max_range:
            raise DesignTooLarge("range", len(numbers), self.max_range)
        return numbers

    def call_binop(self, context, operator_name: str, left, right):
        if operator_name == "*":
            for sequence, times in ((left, right), (right, left)):
                size = _size(sequence)
                if size is not None and isinstance(times, int) and size * times > self.max_sequence:
                    raise DesignTooLarge("sequence", size * times, self.max_sequence)
        elif operator_name == "+":
            sizes = (_size(left), _size(right))
            if None not in sizes and sum(sizes) > self.max_sequence:
                raise DesignTooLarge("sequence", sum(sizes), self.max_sequence)
        elif operator_name == "**" and isinstance(left, int | float) and isinstance(right, int | float):
            base = abs(left)
            if base > 1 and right > 0 and right * math.log2(base) > MAX_POWER_BITS:
                raise DesignTooLarge("power", int(right * math.log2(base)), MAX_POWER_BITS)
        return super().call_binop(context, operator_name, left, right)


def render_capped(template, max_chars: int, **context) -> str:
    """Render, stopping as soon as the text passes `max_chars` (a template that prints a
    10^5-character string in a 10^4-step loop stops after a few steps, not after a gigabyte)."""
    parts, total = [], 0
    for part in template.generate(**context):
        total += len(part)
        if total > max_chars:
            raise DesignTooLarge("html", total, max_chars)
        parts.append(part)
    return "".join(parts)

