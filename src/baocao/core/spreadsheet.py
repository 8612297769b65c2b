"""A definition's formula in the formula language of a spreadsheet (Excel, LibreOffice Calc).

The translation walks the one grammar's syntax tree (``formula.syntax_tree``), so a sheet computes what the
evaluator computes; a formula that a sheet cannot state the same way (text, comparisons, band(), a reference
to an item the sheet does not show) is not translated, and the sheet holds the evaluated value instead.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from lark import Token, Tree

from baocao.core.formula import FormulaError, syntax_tree

__all__ = ["FORMULA_PREFIXES", "spreadsheet_formula", "write_text"]

# Text a spreadsheet would read as a formula (or that Excel warns about): always written as text.
FORMULA_PREFIXES = ("=", "+", "-", "@")

_PRECEDENCE = {"+": 1, "-": 1, "*": 2, "/": 2}
_FUNCTIONS = {"min": "MIN", "max": "MAX", "abs": "ABS", "round": "ROUND"}


class _Untranslatable(Exception):
    pass


def spreadsheet_formula(
    text: str, cell_of: Callable[[str], str | None]
) -> tuple[str, tuple[str, ...]] | None:
    """``("D12/D11*100", ("D12", "D11"))`` for ``"{1.2.2} / {1.2.1} * 100"``, with ``cell_of`` giving each
    item's cell (None: the sheet lacks it); None when the formula has no faithful spreadsheet form."""
    cells: dict[str, None] = {}
    try:
        expression = _Translator(cell_of, cells).node(syntax_tree(text))
    except (_Untranslatable, FormulaError):
        return None
    return expression, tuple(cells)


class _Translator:
    def __init__(self, cell_of: Callable[[str], str | None], cells: dict[str, None]) -> None:
        self.cell_of = cell_of
        self.cells = cells

    def node(self, node: Tree[Token] | Token) -> str:
        if isinstance(node, Token) or node.data not in {"number", "ref", "arith", "neg", "call"}:
            raise _Untranslatable
        return getattr(self, f"_{node.data}")(node.children)  # type: ignore[no-any-return]

    def _number(self, children: list[Token]) -> str:
        return str(children[0])

    def _ref(self, children: list[Token]) -> str:
        cell = self.cell_of(str(children[0])[1:-1])
        if cell is None:
            raise _Untranslatable
        self.cells[cell] = None
        return cell

    def _operand(self, child: Tree[Token] | Token, parent: int, right: bool) -> str:
        """A sub-expression, bracketed where the spreadsheet would otherwise group it differently."""
        text = self.node(child)
        if isinstance(child, Tree) and child.data == "arith":
            own = _PRECEDENCE[str(child.children[1])]
            if own < parent or (right and own == parent):
                return f"({text})"
        return text

    def _arith(self, children: list[Tree[Token] | Token]) -> str:
        op = str(children[1])
        left = self._operand(children[0], _PRECEDENCE[op], right=False)
        right = self._operand(children[2], _PRECEDENCE[op], right=True)
        return f"{left}{op}{right}"

    def _neg(self, children: list[Tree[Token] | Token]) -> str:
        return f"-{self._operand(children[0], 3, right=True)}"

    def _call(self, children: list[Tree[Token] | Token]) -> str:
        name = str(children[0])
        if name not in _FUNCTIONS:
            raise _Untranslatable
        args = ",".join(self.node(child) for child in children[1:] if child is not None)
        return f"{_FUNCTIONS[name]}({args})"


def write_text(cell: Any, text: str) -> None:
    """``text`` into an openpyxl cell as text: a note "=HYPERLINK(…)", "- Như trên" or "@x" is never a live
    formula (openpyxl would store "=…" as one) and keeps a quote prefix, so that editing the cell in Excel or
    Calc leaves it text too."""
    cell.value = text
    if text.startswith(FORMULA_PREFIXES):
        cell.data_type = "s"
        cell.quotePrefix = True
