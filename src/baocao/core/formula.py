"""The one formula language of baocao: parsed by a fixed grammar, type-checked, compiled to closures.

Formulas and rules come from definition files that administrators edit, so nothing here ever calls ``eval``:
text is parsed by Lark against the grammar below, and only the nodes it allows become Python closures.

Semantics that the reports need:
- ``{1.2.1}`` reads an item's value; a blank item is ``None`` and blank spreads through arithmetic, because
  blank means "not reported", never zero.
- Division by zero gives ``NOT_APPLICABLE``: a ratio over nothing is "không phát sinh", never 0 %.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from typing import Final, Literal

from lark import Lark, Token, Tree
from lark.exceptions import LarkError, UnexpectedCharacters, UnexpectedEOF, UnexpectedInput

from baocao.core.numbers import round_half_up

__all__ = [
    "COMPARISONS",
    "NOT_APPLICABLE",
    "Compiled",
    "FormulaError",
    "NotApplicable",
    "Value",
    "ValueType",
    "compile_expression",
    "references",
    "syntax_tree",
]


class NotApplicable:
    """The value of a ratio whose base is 0 ("không phát sinh")."""

    _instance: NotApplicable | None = None

    def __new__(cls) -> NotApplicable:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "NOT_APPLICABLE"

    def __reduce__(self) -> str:
        return "NOT_APPLICABLE"


NOT_APPLICABLE: Final = NotApplicable()

Value = Decimal | bool | str | NotApplicable | None
Env = Mapping[str, Value]
Fn = Callable[[Env], Value]
ValueType = Literal["number", "bool", "text"]

ZERO: Final = Decimal(0)

_GRAMMAR = r"""
?start: or_expr
?or_expr: and_expr | or_expr "or" and_expr -> or_
?and_expr: not_expr | and_expr "and" not_expr -> and_
?not_expr: comparison | "not" not_expr -> not_
?comparison: sum | sum COMP sum -> compare
?sum: product | sum ADD product -> arith
?product: unary | product MUL unary -> arith
?unary: atom | "-" unary -> neg
?atom: NUMBER -> number
     | STRING -> string
     | REF -> ref
     | "true" -> true
     | "false" -> false
     | NAME "(" [or_expr ("," or_expr)*] ")" -> call
     | "(" or_expr ")"
COMP: "==" | "!=" | "<=" | ">=" | "<" | ">"
ADD: "+" | "-"
MUL: "*" | "/"
REF: "{" /[A-Za-z0-9][A-Za-z0-9._]*/ "}"
NUMBER: /\d+(\.\d+)?/
STRING: /"[^"\n]*"/
NAME: /[a-z_][a-z0-9_]*/
%ignore /[ \t\n]+/
"""

MSG_SYNTAX = "công thức “{text}” sai cú pháp tại ký tự thứ {column}"
MSG_SYNTAX_END = "công thức “{text}” chưa kết thúc"
MSG_EMPTY = "công thức trống"
MSG_UNKNOWN_REF = "công thức tham chiếu mã “{code}” không có trong biểu mẫu"
MSG_UNKNOWN_FUNC = "hàm “{name}” không được phép (chỉ dùng: {allowed})"
MSG_ARITY = "hàm “{name}” cần {expected} đối số, công thức truyền {given}"
MSG_TYPE = "{what} cần {expected}, nhưng nhận {given}"
MSG_UNKNOWN_SCALE = "thang xếp loại “{name}” không được khai báo trong biểu mẫu"
MSG_SCALE_NAME = "đối số thứ hai của band() phải là tên thang, viết trong dấu nháy kép"

_TYPE_NAMES: Final[dict[ValueType, str]] = {"number": "số", "bool": "Có/Không", "text": "chữ"}


class FormulaError(ValueError):
    """A formula outside the grammar or its types; ``str(error)`` is Vietnamese."""


@dataclass(frozen=True, slots=True)
class Band:
    minimum: Decimal
    label: str


@dataclass(frozen=True, slots=True)
class Compiled:
    text: str
    fn: Fn
    type: ValueType
    refs: frozenset[str]
    ordered_refs: tuple[str, ...]  # as they appear in the text: "{7.2.4.b} / {7.2.4.a}" → numerator first


@cache
def _parser() -> Lark:
    return Lark(_GRAMMAR, parser="lalr", maybe_placeholders=False)


def _parse(text: str) -> Tree[Token]:
    if not text.strip():
        raise FormulaError(MSG_EMPTY)
    try:
        return _parser().parse(text)
    except UnexpectedEOF as error:
        raise FormulaError(MSG_SYNTAX_END.format(text=text)) from error
    except UnexpectedCharacters as error:
        raise FormulaError(MSG_SYNTAX.format(text=text, column=error.column)) from error
    except UnexpectedInput as error:
        column = getattr(error, "column", "?")
        if column == -1:
            raise FormulaError(MSG_SYNTAX_END.format(text=text)) from error
        raise FormulaError(MSG_SYNTAX.format(text=text, column=column)) from error
    except LarkError as error:  # pragma: no cover - any other parser complaint
        raise FormulaError(MSG_SYNTAX.format(text=text, column="?")) from error


def syntax_tree(text: str) -> Tree[Token]:
    """The parsed formula, for a translator into another formula language (the Excel sheet's)."""
    return _parse(text)


def references(text: str) -> frozenset[str]:
    """The item codes a formula reads, without type-checking it."""
    return frozenset(
        str(tok)[1:-1] for tok in _parse(text).scan_values(lambda t: isinstance(t, Token) and t.type == "REF")
    )


def compile_expression(
    text: str,
    types: Mapping[str, ValueType],
    *,
    blank_as_zero: bool = False,
    scales: Mapping[str, Sequence[Band]] | None = None,
) -> Compiled:
    """Compile ``text`` against the item codes in ``types`` (code → value type).

    ``blank_as_zero`` is a rule's missing-value strategy: a blank item reads as 0 instead of blank.
    """
    compiler = _Compiler(types, blank_as_zero, scales or {})
    fn, value_type = compiler.build(_parse(text))
    refs = tuple(compiler.refs)
    return Compiled(text=text, fn=fn, type=value_type, refs=frozenset(refs), ordered_refs=refs)


def _is_missing(value: Value) -> bool:
    return value is None or value is NOT_APPLICABLE


def _divide(a: Decimal, b: Decimal) -> Decimal | NotApplicable:
    return NOT_APPLICABLE if b == 0 else a / b


_ARITH: Final[dict[str, Callable[[Decimal, Decimal], Decimal | NotApplicable]]] = {
    "+": lambda a, b: a + b,
    "-": lambda a, b: a - b,
    "*": lambda a, b: a * b,
    "/": _divide,
}
COMPARISONS: Final[dict[str, Callable[[object, object], bool]]] = {
    "==": lambda a, b: a == b,
    "!=": lambda a, b: a != b,
    "<": lambda a, b: a < b,  # type: ignore[operator]
    "<=": lambda a, b: a <= b,  # type: ignore[operator]
    ">": lambda a, b: a > b,  # type: ignore[operator]
    ">=": lambda a, b: a >= b,  # type: ignore[operator]
}
_FUNCTIONS: Final = ("min", "max", "round", "abs", "if", "isblank", "coalesce", "band")

Built = tuple[Fn, ValueType]


class _Compiler:
    def __init__(
        self, types: Mapping[str, ValueType], blank_as_zero: bool, scales: Mapping[str, Sequence[Band]]
    ):
        self.types = types
        self.blank_as_zero = blank_as_zero
        self.scales = scales
        self.refs: dict[str, None] = {}  # an ordered set

    def build(self, node: Tree[Token] | Token) -> Built:
        if isinstance(node, Token):  # pragma: no cover - every token is wrapped by an aliased rule
            raise FormulaError(MSG_SYNTAX.format(text=str(node), column="?"))
        handler = getattr(self, f"_{node.data}")
        result: Built = handler(node.children)
        return result

    def _expect(self, built: Built, expected: ValueType, what: str) -> Fn:
        fn, value_type = built
        if value_type != expected:
            raise FormulaError(
                MSG_TYPE.format(what=what, expected=_TYPE_NAMES[expected], given=_TYPE_NAMES[value_type])
            )
        return fn

    # Leaves.
    def _number(self, children: list[Token]) -> Built:
        constant = Decimal(str(children[0]))
        return (lambda env: constant), "number"

    def _string(self, children: list[Token]) -> Built:
        constant = str(children[0])[1:-1]
        return (lambda env: constant), "text"

    def _true(self, children: list[Token]) -> Built:
        return (lambda env: True), "bool"

    def _false(self, children: list[Token]) -> Built:
        return (lambda env: False), "bool"

    def _ref(self, children: list[Token]) -> Built:
        code = str(children[0])[1:-1]
        if code not in self.types:
            raise FormulaError(MSG_UNKNOWN_REF.format(code=code))
        self.refs[code] = None
        value_type = self.types[code]
        if self.blank_as_zero and value_type == "number":

            def read_or_zero(env: Env) -> Value:
                value = env.get(code)
                return ZERO if value is None else value

            return read_or_zero, value_type
        return (lambda env: env.get(code)), value_type

    # Operators.
    def _arith(self, children: list[Tree[Token] | Token]) -> Built:
        left = self._expect(self.build(children[0]), "number", "phép tính")
        op = _ARITH[str(children[1])]
        right = self._expect(self.build(children[2]), "number", "phép tính")

        def arith(env: Env) -> Value:
            a, b = left(env), right(env)
            if a is None or b is None:
                return None
            if a is NOT_APPLICABLE or b is NOT_APPLICABLE:
                return NOT_APPLICABLE
            return op(a, b)  # type: ignore[arg-type]

        return arith, "number"

    def _neg(self, children: list[Tree[Token]]) -> Built:
        inner = self._expect(self.build(children[0]), "number", "dấu trừ")

        def neg(env: Env) -> Value:
            value = inner(env)
            return -value if isinstance(value, Decimal) else value

        return neg, "number"

    def _compare(self, children: list[Tree[Token] | Token]) -> Built:
        left, left_type = self.build(children[0])
        op_text = str(children[1])
        right = self._expect(self.build(children[2]), left_type, f"phép so sánh “{op_text}”")
        if left_type != "number" and op_text not in ("==", "!="):
            raise FormulaError(MSG_TYPE.format(what=f"phép so sánh “{op_text}”", expected="số", given="chữ"))
        op = COMPARISONS[op_text]

        def compare(env: Env) -> Value:
            a, b = left(env), right(env)
            if _is_missing(a) or _is_missing(b):
                return None
            return op(a, b)

        return compare, "bool"

    def _logic(self, children: list[Tree[Token]], is_and: bool) -> Built:
        what = "phép “and”" if is_and else "phép “or”"
        left = self._expect(self.build(children[0]), "bool", what)
        right = self._expect(self.build(children[1]), "bool", what)

        # Three-valued logic: an unknown side decides nothing unless the other side already does.
        def logic(env: Env) -> Value:
            a, b = left(env), right(env)
            if a is (not is_and) or b is (not is_and):
                return not is_and
            if a is None or b is None:
                return None
            return is_and

        return logic, "bool"

    def _and_(self, children: list[Tree[Token]]) -> Built:
        return self._logic(children, True)

    def _or_(self, children: list[Tree[Token]]) -> Built:
        return self._logic(children, False)

    def _not_(self, children: list[Tree[Token]]) -> Built:
        inner = self._expect(self.build(children[0]), "bool", "phép “not”")
        return (lambda env: None if (v := inner(env)) is None else not v), "bool"

    # Functions.
    def _call(self, children: list[Tree[Token] | Token]) -> Built:
        name = str(children[0])
        args = [child for child in children[1:] if child is not None]
        if name not in _FUNCTIONS:
            raise FormulaError(MSG_UNKNOWN_FUNC.format(name=name, allowed=", ".join(_FUNCTIONS)))
        handler: Callable[[list[Tree[Token] | Token]], Built] = getattr(self, f"_fn_{name}")
        return handler(args)

    def _arity(self, name: str, args: Sequence[object], expected: int | tuple[int, int]) -> None:
        low, high = expected if isinstance(expected, tuple) else (expected, expected)
        if not low <= len(args) <= high:
            shown = str(low) if low == high else f"{low}–{high}"
            raise FormulaError(MSG_ARITY.format(name=name, expected=shown, given=len(args)))

    def _numbers(self, name: str, args: list[Tree[Token] | Token]) -> list[Fn]:
        return [self._expect(self.build(arg), "number", f"hàm {name}()") for arg in args]

    def _fn_min(self, args: list[Tree[Token] | Token]) -> Built:
        return self._extreme("min", args, min)

    def _fn_max(self, args: list[Tree[Token] | Token]) -> Built:
        return self._extreme("max", args, max)

    def _extreme(self, name: str, args: list[Tree[Token] | Token], pick: Callable[..., Decimal]) -> Built:
        self._arity(name, args, (1, 32))
        fns = self._numbers(name, args)

        def extreme(env: Env) -> Value:
            values = [fn(env) for fn in fns]
            if any(v is None for v in values):
                return None
            if any(v is NOT_APPLICABLE for v in values):
                return NOT_APPLICABLE
            return pick(values)

        return extreme, "number"

    def _fn_round(self, args: list[Tree[Token] | Token]) -> Built:
        self._arity("round", args, (1, 2))
        fns = self._numbers("round", args)

        def round_(env: Env) -> Value:
            value = fns[0](env)
            places = fns[1](env) if len(fns) > 1 else ZERO
            if _is_missing(value) or _is_missing(places):
                return value
            return round_half_up(value, int(places))  # type: ignore[arg-type]

        return round_, "number"

    def _fn_abs(self, args: list[Tree[Token] | Token]) -> Built:
        self._arity("abs", args, 1)
        (fn,) = self._numbers("abs", args)

        def abs_(env: Env) -> Value:
            value = fn(env)
            return abs(value) if isinstance(value, Decimal) else value

        return abs_, "number"

    def _fn_if(self, args: list[Tree[Token] | Token]) -> Built:
        self._arity("if", args, 3)
        condition = self._expect(self.build(args[0]), "bool", "điều kiện của hàm if()")
        then_fn, then_type = self.build(args[1])
        else_fn = self._expect(self.build(args[2]), then_type, "nhánh còn lại của hàm if()")

        def if_(env: Env) -> Value:
            test = condition(env)
            if test is None:
                return None
            return then_fn(env) if test else else_fn(env)

        return if_, then_type

    def _fn_isblank(self, args: list[Tree[Token] | Token]) -> Built:
        self._arity("isblank", args, 1)
        fn, _ = self.build(args[0])
        return (lambda env: fn(env) is None), "bool"

    def _fn_coalesce(self, args: list[Tree[Token] | Token]) -> Built:
        self._arity("coalesce", args, (2, 32))
        first, value_type = self.build(args[0])
        fns = [first] + [self._expect(self.build(a), value_type, "hàm coalesce()") for a in args[1:]]

        def coalesce(env: Env) -> Value:
            for fn in fns:
                value = fn(env)
                if value is not None:
                    return value
            return None

        return coalesce, value_type

    def _fn_band(self, args: list[Tree[Token] | Token]) -> Built:
        self._arity("band", args, 2)
        (score,) = self._numbers("band", args[:1])
        scale_node = args[1]
        if not (isinstance(scale_node, Tree) and scale_node.data == "string"):
            raise FormulaError(MSG_SCALE_NAME)
        scale_name = str(scale_node.children[0])[1:-1]
        if scale_name not in self.scales:
            raise FormulaError(MSG_UNKNOWN_SCALE.format(name=scale_name))
        bands = sorted(self.scales[scale_name], key=lambda b: b.minimum, reverse=True)

        def band(env: Env) -> Value:
            value = score(env)
            if _is_missing(value):
                return None
            for entry in bands:
                if value >= entry.minimum:  # type: ignore[operator]
                    return entry.label
            return None

        return band, "text"
