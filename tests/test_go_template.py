"""Parity of ``calicopy._go.template`` with Go's ``text/template``.

The cases come from Go's own tests (go/src/text/template/exec_test.go, funcs in
testExecute, cmpTests, TestExecError, TestInterfaceValues...; go/src/text/template/parse/
parse_test.go: numberTests, parseTests, errorTests, isEmptyTests), rewritten for Python data:
Go's ``tVal`` is built from :class:`GoStruct`/:class:`GoPointer` values.  Cases that need Go
methods with arguments, channels or custom delimiters are left out (calicopy's data has none).
"""

from __future__ import annotations

import contextlib
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from calicopy._go.fmt import sprintf, sprintln
from calicopy._go.template import GoFunc, GoMap, GoPointer, GoSlice, GoStruct, GoTemplateError, parse
from calicopy._go.template.literals import LiteralError, parse_number
from calicopy._go.template.nodes import TextNode
from calicopy._go.template.parse import is_empty_tree, parse_templates
from calicopy._go.template.values import FuncError

# -- exec_test.go's data ----------------------------------------------------------------------


def _u(v: str) -> GoPointer:
    return GoPointer(GoStruct("template.U", [("V", v)]), "*template.U")


def _make_map(*args: str) -> GoMap:
    if len(args) % 2:
        raise FuncError("bad makemap")
    return GoMap(dict(zip(args[::2], args[1::2], strict=True)), "map[string]string", "")


T_VAL = GoPointer(
    GoStruct(
        "template.T",
        [
            ("True", True),
            ("I", 17),
            ("U16", 16),
            ("X", "x"),
            ("FloatZero", 0.0),
            ("ComplexZero", 0j),
            ("U", _u("v")),
            ("SI", GoSlice([3, 4, 5], "[]int")),
            ("SIEmpty", GoSlice([], "[]int")),
            ("SB", GoSlice([True, False], "[]bool")),
            ("MSI", GoMap({"one": 1, "two": 2, "three": 3}, "map[string]int", 0)),
            ("MSIone", GoMap({"one": 1}, "map[string]int", 0)),
            ("MSIEmpty", GoMap({}, "map[string]int", 0)),
            ("MXI", GoMap({"one": 1}, "map[interface {}]int", 0)),
            ("MII", GoMap({1: 1}, "map[int]int", 0)),
            ("MI64S", GoMap({2: "i642", 3: "i643"}, "map[int64]string", "")),
            (
                "SMSI",
                GoSlice(
                    [
                        GoMap({"one": 1, "two": 2}, "map[string]int", 0),
                        GoMap({"eleven": 11, "twelve": 12}, "map[string]int", 0),
                    ],
                    "[]map[string]int",
                ),
            ),
            ("Empty0", None),
            ("Empty1", 3),
            ("Empty2", "empty2"),
            ("Empty3", GoSlice([7, 8], "[]int")),
            ("Empty4", _u("UinEmpty")),
            ("PI", GoPointer(23, "*int")),
            ("PS", GoPointer("a string", "*string")),
            ("PSI", GoPointer(GoSlice([21, 22, 23], "[]int"), "*[]int")),
            ("NIL", GoPointer(None, "*int")),
            ("BinaryFunc", GoFunc(lambda a, b: f"[{a}={b}]", ("string", "string"))),
            ("VariadicFunc", GoFunc(lambda *s: "<" + "+".join(s) + ">", (), "string")),
            ("VariadicFuncInt", GoFunc(lambda a, *s: f"{a}=<" + "+".join(s) + ">", ("int",), "string")),
            ("NilOKFunc", GoFunc(lambda p: p is None, ("any",))),
            ("ErrFunc", GoFunc(lambda: "bla")),
            ("unexported", 0),
        ],
    ),
    "*template.T",
)

TEST_FUNCS: dict[str, Any] = {
    "add": GoFunc(lambda *n: sum(n), (), "int"),
    "dddArg": GoFunc(lambda a, *b: sprintln(a, GoSlice(list(b), "[]string")), ("int",), "string"),
    "echo": GoFunc(lambda v: v, ("any",)),
    "makemap": GoFunc(_make_map, (), "string"),
    "mapOfThree": GoFunc(lambda: GoMap({"three": 3}, "map[string]int", 0)),
    "oneArg": GoFunc(lambda a: "oneArg=" + a, ("string",)),
    "returnInt": GoFunc(lambda: 7),
    "twoArgs": GoFunc(lambda a, b: "twoArgs=" + a + b, ("string", "string")),
    "typeOf": GoFunc(lambda v: sprintf("%T", v), ("any",)),
    "valueString": GoFunc(lambda v: "value is ignored", ("string",)),
    "zeroArgs": GoFunc(lambda: "zeroArgs"),
}

# (name, input, output, data, ok) from execTests; None output = "any (nothing checked)".
EXEC_TESTS: list[tuple[str, str, str, Any, bool]] = [
    ("empty", "", "", None, True),
    ("text", "some text", "some text", None, True),
    ("nil action", "{{nil}}", "", None, False),
    ("ideal int", "{{typeOf 3}}", "int", 0, True),
    ("ideal float", "{{typeOf 1.0}}", "float64", 0, True),
    ("ideal exp float", "{{typeOf 1e1}}", "float64", 0, True),
    ("ideal complex", "{{typeOf 1i}}", "complex128", 0, True),
    ("ideal int max", "{{typeOf 0x7fffffffffffffff}}", "int", 0, True),
    ("ideal too big", "{{typeOf 0x8000000000000000}}", "", 0, False),
    ("ideal nil without type", "{{nil}}", "", 0, False),
    (".X", "-{{.X}}-", "-x-", T_VAL, True),
    (".U.V", "-{{.U.V}}-", "-v-", T_VAL, True),
    (".unexported", "{{.unexported}}", "", T_VAL, False),
    ("map .one", "{{.MSI.one}}", "1", T_VAL, True),
    ("map .two", "{{.MSI.two}}", "2", T_VAL, True),
    ("map .NO", "{{.MSI.NO}}", "<no value>", T_VAL, True),
    ("map .one interface", "{{.MXI.one}}", "1", T_VAL, True),
    ("map .WRONG args", "{{.MSI.one 1}}", "", T_VAL, False),
    ("map .WRONG type", "{{.MII.one}}", "", T_VAL, False),
    ("dot int", "<{{.}}>", "<13>", 13, True),
    ("dot float", "<{{.}}>", "<15.1>", 15.1, True),
    ("dot bool", "<{{.}}>", "<true>", True, True),
    ("dot complex", "<{{.}}>", "<(16.2-17i)>", 16.2 - 17j, True),
    ("dot string", "<{{.}}>", "<hello>", "hello", True),
    ("dot slice", "<{{.}}>", "<[-1 -2 -3]>", GoSlice([-1, -2, -3], "[]int"), True),
    ("dot map", "<{{.}}>", "<map[two:22]>", GoMap({"two": 22}, "map[string]int", 0), True),
    ("dot struct", "<{{.}}>", "<{7 seven}>", GoStruct("struct { a int; b string }", [("a", 7), ("b", "seven")]), True),
    ("$ int", "{{$}}", "123", 123, True),
    ("$.I", "{{$.I}}", "17", T_VAL, True),
    ("$.U.V", "{{$.U.V}}", "v", T_VAL, True),
    ("declare in action", "{{$x := $.U.V}}{{$x}}", "v", T_VAL, True),
    ("*int", "{{.PI}}", "23", T_VAL, True),
    ("*string", "{{.PS}}", "a string", T_VAL, True),
    ("*[]int", "{{.PSI}}", "[21 22 23]", T_VAL, True),
    ("*[]int[1]", "{{index .PSI 1}}", "22", T_VAL, True),
    ("NIL", "{{.NIL}}", "<nil>", T_VAL, True),
    ("empty nil", "{{.Empty0}}", "<no value>", T_VAL, True),
    ("empty with int", "{{.Empty1}}", "3", T_VAL, True),
    ("empty with string", "{{.Empty2}}", "empty2", T_VAL, True),
    ("empty with slice", "{{.Empty3}}", "[7 8]", T_VAL, True),
    ("empty with struct", "{{.Empty4}}", "{UinEmpty}", T_VAL, True),
    ("empty with struct, field", "{{.Empty4.V}}", "UinEmpty", T_VAL, True),
    (".NilOKFunc not nil", "{{call .NilOKFunc .PI}}", "false", T_VAL, True),
    (".NilOKFunc nil", "{{call .NilOKFunc nil}}", "true", T_VAL, True),
    (".BinaryFunc", "{{call .BinaryFunc `1` `2`}}", "[1=2]", T_VAL, True),
    (".VariadicFunc0", "{{call .VariadicFunc}}", "<>", T_VAL, True),
    (".VariadicFunc2", "{{call .VariadicFunc `he` `llo`}}", "<he+llo>", T_VAL, True),
    (".VariadicFuncInt", "{{call .VariadicFuncInt 33 `he` `llo`}}", "33=<he+llo>", T_VAL, True),
    ("if .BinaryFunc call", "{{ if .BinaryFunc}}{{call .BinaryFunc `1` `2`}}{{end}}", "[1=2]", T_VAL, True),
    (
        "if not .BinaryFunc call",
        "{{ if not .BinaryFunc}}{{call .BinaryFunc `1` `2`}}{{else}}No{{end}}",
        "No",
        T_VAL,
        True,
    ),
    (".ErrFunc", "{{call .ErrFunc}}", "bla", T_VAL, True),
    ("call nil", "{{call nil}}", "", T_VAL, False),
    (".BinaryFuncTooFew", "{{call .BinaryFunc `1`}}", "", T_VAL, False),
    (".BinaryFuncTooMany", "{{call .BinaryFunc `1` `2` `3`}}", "", T_VAL, False),
    (".BinaryFuncBad0", "{{call .BinaryFunc 1 3}}", "", T_VAL, False),
    (".BinaryFuncBad1", "{{call .BinaryFunc `1` 3}}", "", T_VAL, False),
    (".VariadicFuncBad0", "{{call .VariadicFunc 3}}", "", T_VAL, False),
    (".VariadicFuncIntBad0", "{{call .VariadicFuncInt}}", "", T_VAL, False),
    (".VariadicFuncIntBad`", "{{call .VariadicFuncInt `x`}}", "", T_VAL, False),
    (".VariadicFuncNilBad", "{{call .VariadicFunc nil}}", "", T_VAL, False),
    ("pipeline func", "-{{call .VariadicFunc `llo` | call .VariadicFunc `he` }}-", "-<he+<llo>>-", T_VAL, True),
    ("parens in pipeline", "{{printf `%d %d %d` (1) (2 | add 3) (add 4 (add 5 6))}}", "1 5 15", T_VAL, True),
    ("parens: $ in paren", "{{($).X}}", "x", T_VAL, True),
    ("parens: $ in paren in pipe", "{{($ | echo).X}}", "x", T_VAL, True),
    ("parens: spaces and args", '{{(makemap "up" "down" "left" "right").left}}', "right", T_VAL, True),
    ("if true", "{{if true}}TRUE{{end}}", "TRUE", T_VAL, True),
    ("if false", "{{if false}}TRUE{{else}}FALSE{{end}}", "FALSE", T_VAL, True),
    ("if nil", "{{if nil}}TRUE{{end}}", "", T_VAL, False),
    ("if 1", "{{if 1}}NON-ZERO{{else}}ZERO{{end}}", "NON-ZERO", T_VAL, True),
    ("if 0", "{{if 0}}NON-ZERO{{else}}ZERO{{end}}", "ZERO", T_VAL, True),
    ("if 1.5", "{{if 1.5}}NON-ZERO{{else}}ZERO{{end}}", "NON-ZERO", T_VAL, True),
    ("if 0.0", "{{if .FloatZero}}NON-ZERO{{else}}ZERO{{end}}", "ZERO", T_VAL, True),
    ("if 1.5i", "{{if 1.5i}}NON-ZERO{{else}}ZERO{{end}}", "NON-ZERO", T_VAL, True),
    ("if 0.0i", "{{if .ComplexZero}}NON-ZERO{{else}}ZERO{{end}}", "ZERO", T_VAL, True),
    ("if emptystring", "{{if ``}}NON-EMPTY{{else}}EMPTY{{end}}", "EMPTY", T_VAL, True),
    ("if string", "{{if `notempty`}}NON-EMPTY{{else}}EMPTY{{end}}", "NON-EMPTY", T_VAL, True),
    ("if emptyslice", "{{if .SIEmpty}}NON-EMPTY{{else}}EMPTY{{end}}", "EMPTY", T_VAL, True),
    ("if slice", "{{if .SI}}NON-EMPTY{{else}}EMPTY{{end}}", "NON-EMPTY", T_VAL, True),
    ("if emptymap", "{{if .MSIEmpty}}NON-EMPTY{{else}}EMPTY{{end}}", "EMPTY", T_VAL, True),
    ("if map", "{{if .MSI}}NON-EMPTY{{else}}EMPTY{{end}}", "NON-EMPTY", T_VAL, True),
    ("if map unset", "{{if .MXI.none}}NON-ZERO{{else}}ZERO{{end}}", "ZERO", T_VAL, True),
    ("if map not unset", "{{if not .MXI.none}}ZERO{{else}}NON-ZERO{{end}}", "ZERO", T_VAL, True),
    ("if $x with $y int", "{{if $x := true}}{{with $y := .I}}{{$x}},{{$y}}{{end}}{{end}}", "true,17", T_VAL, True),
    ("if $x with $x int", "{{if $x := true}}{{with $x := .I}}{{$x}},{{end}}{{$x}}{{end}}", "17,true", T_VAL, True),
    ("if else if", "{{if false}}FALSE{{else if true}}TRUE{{end}}", "TRUE", T_VAL, True),
    ("if else chain", "{{if eq 1 3}}1{{else if eq 2 3}}2{{else if eq 3 3}}3{{end}}", "3", T_VAL, True),
    ("print", '{{print "hello, print"}}', "hello, print", T_VAL, True),
    ("print 123", "{{print 1 2 3}}", "1 2 3", T_VAL, True),
    ("print nil", "{{print nil}}", "<nil>", T_VAL, True),
    ("println", "{{println 1 2 3}}", "1 2 3\n", T_VAL, True),
    ("printf int", '{{printf "%04x" 127}}', "007f", T_VAL, True),
    ("printf float", '{{printf "%g" 3.5}}', "3.5", T_VAL, True),
    ("printf complex", '{{printf "%g" 1+7i}}', "(1+7i)", T_VAL, True),
    ("printf string", '{{printf "%s" "hello"}}', "hello", T_VAL, True),
    ("printf function", '{{printf "%#q" zeroArgs}}', "`zeroArgs`", T_VAL, True),
    ("printf field", '{{printf "%s" .U.V}}', "v", T_VAL, True),
    ("printf dot", '{{with .I}}{{printf "%d" .}}{{end}}', "17", T_VAL, True),
    ("printf var", '{{with $x := .I}}{{printf "%d" $x}}{{end}}', "17", T_VAL, True),
    (
        "html",
        '{{html "<script>alert(\\"XSS\\");</script>"}}',
        "&lt;script&gt;alert(&#34;XSS&#34;);&lt;/script&gt;",
        None,
        True,
    ),
    (
        "html pipeline",
        '{{printf "<script>alert(\\"XSS\\");</script>" | html}}',
        "&lt;script&gt;alert(&#34;XSS&#34;);&lt;/script&gt;",
        None,
        True,
    ),
    ("html pointer", "{{html .PS}}", "a string", T_VAL, True),
    ("js", "{{js .}}", "It\\'d be nice.", "It'd be nice.", True),
    ("urlquery", '{{"http://www.example.org/"|urlquery}}', "http%3A%2F%2Fwww.example.org%2F", None, True),
    ("not", "{{not true}} {{not false}}", "false true", None, True),
    ("and", "{{and false 0}} {{and 1 0}} {{and 0 true}} {{and 1 1}}", "false 0 0 1", None, True),
    ("or", "{{or 0 0}} {{or 1 0}} {{or 0 true}} {{or 1 1}}", "0 1 true 1", None, True),
    ("boolean if", "{{if and true 1 `hi`}}TRUE{{else}}FALSE{{end}}", "TRUE", T_VAL, True),
    ("boolean if not", "{{if and true 1 `hi` | not}}TRUE{{else}}FALSE{{end}}", "FALSE", None, True),
    ("slice[0]", "{{index .SI 0}}", "3", T_VAL, True),
    ("slice[1]", "{{index .SI 1}}", "4", T_VAL, True),
    ("slice[HUGE]", "{{index .SI 10}}", "", T_VAL, False),
    ("slice[WRONG]", "{{index .SI `hello`}}", "", T_VAL, False),
    ("slice[nil]", "{{index .SI nil}}", "", T_VAL, False),
    ("map[one]", "{{index .MSI `one`}}", "1", T_VAL, True),
    ("map[two]", "{{index .MSI `two`}}", "2", T_VAL, True),
    ("map[NO]", "{{index .MSI `XXX`}}", "0", T_VAL, True),
    ("map[nil]", "{{index .MSI nil}}", "", T_VAL, False),
    ("map[``]", "{{index .MSI ``}}", "0", T_VAL, True),
    ("map[WRONG]", "{{index .MSI 10}}", "", T_VAL, False),
    ("double index", "{{index .SMSI 1 `eleven`}}", "11", T_VAL, True),
    ("nil[1]", "{{index nil 1}}", "", T_VAL, False),
    ("map MI64S", "{{index .MI64S 2}}", "i642", T_VAL, True),
    ("slice[:]", "{{slice .SI}}", "[3 4 5]", T_VAL, True),
    ("slice[1:]", "{{slice .SI 1}}", "[4 5]", T_VAL, True),
    ("slice[1:2]", "{{slice .SI 1 2}}", "[4]", T_VAL, True),
    ("slice[-1:]", "{{slice .SI -1}}", "", T_VAL, False),
    ("slice[1:-2]", "{{slice .SI 1 -2}}", "", T_VAL, False),
    ("slice[2:1]", "{{slice .SI 2 1}}", "", T_VAL, False),
    ("out of range", "{{slice .SI 4 5}}", "", T_VAL, False),
    ("string[:]", "{{slice .X}}", "x", T_VAL, True),
    ("string[0:1]", "{{slice .X 0 1}}", "x", T_VAL, True),
    ("string[1:]", "{{slice .X 1}}", "", T_VAL, True),
    ("string[:1:2]", "{{slice .X 0 1 2}}", "", T_VAL, False),
    ("slice", "{{len .SI}}", "3", T_VAL, True),
    ("map", "{{len .MSI }}", "3", T_VAL, True),
    ("len of int", "{{len 3}}", "", T_VAL, False),
    ("len of nothing", "{{len .Empty0}}", "", T_VAL, False),
    ("with true", "{{with true}}{{.}}{{end}}", "true", T_VAL, True),
    ("with false", "{{with false}}{{.}}{{else}}FALSE{{end}}", "FALSE", T_VAL, True),
    ("with 1", "{{with 1}}{{.}}{{else}}ZERO{{end}}", "1", T_VAL, True),
    ("with 0", "{{with 0}}{{.}}{{else}}ZERO{{end}}", "ZERO", T_VAL, True),
    ("with 1.5", "{{with 1.5}}{{.}}{{else}}ZERO{{end}}", "1.5", T_VAL, True),
    ("with 0.0", "{{with .FloatZero}}{{.}}{{else}}ZERO{{end}}", "ZERO", T_VAL, True),
    ("with 1.5i", "{{with 1.5i}}{{.}}{{else}}ZERO{{end}}", "(0+1.5i)", T_VAL, True),
    ("with 0.0i", "{{with .ComplexZero}}{{.}}{{else}}ZERO{{end}}", "ZERO", T_VAL, True),
    ("with emptystring", "{{with ``}}{{.}}{{else}}EMPTY{{end}}", "EMPTY", T_VAL, True),
    ("with string", "{{with `notempty`}}{{.}}{{else}}EMPTY{{end}}", "notempty", T_VAL, True),
    ("with emptyslice", "{{with .SIEmpty}}{{.}}{{else}}EMPTY{{end}}", "EMPTY", T_VAL, True),
    ("with slice", "{{with .SI}}{{.}}{{else}}EMPTY{{end}}", "[3 4 5]", T_VAL, True),
    ("with emptymap", "{{with .MSIEmpty}}{{.}}{{else}}EMPTY{{end}}", "EMPTY", T_VAL, True),
    ("with map", "{{with .MSIone}}{{.}}{{else}}EMPTY{{end}}", "map[one:1]", T_VAL, True),
    ("with empty interface, struct field", "{{with .Empty4}}{{.V}}{{end}}", "UinEmpty", T_VAL, True),
    ("with $x int", "{{with $x := .I}}{{$x}}{{end}}", "17", T_VAL, True),
    ("with $x struct.U.V", "{{with $x := $}}{{$x.U.V}}{{end}}", "v", T_VAL, True),
    ("with variable and action", "{{with $x := $}}{{$y := $.U.V}}{{$y}}{{end}}", "v", T_VAL, True),
    ("with else with", "{{with 0}}{{.}}{{else with true}}{{.}}{{end}}", "true", T_VAL, True),
    (
        "with else with chain",
        "{{with 0}}{{.}}{{else with false}}{{.}}{{else with `notempty`}}{{.}}{{end}}",
        "notempty",
        T_VAL,
        True,
    ),
    ("range []int", "{{range .SI}}-{{.}}-{{end}}", "-3--4--5-", T_VAL, True),
    ("range empty no else", "{{range .SIEmpty}}-{{.}}-{{end}}", "", T_VAL, True),
    ("range []int else", "{{range .SI}}-{{.}}-{{else}}EMPTY{{end}}", "-3--4--5-", T_VAL, True),
    ("range empty else", "{{range .SIEmpty}}-{{.}}-{{else}}EMPTY{{end}}", "EMPTY", T_VAL, True),
    ("range []int break else", "{{range .SI}}-{{.}}-{{break}}NOTREACHED{{else}}EMPTY{{end}}", "-3-", T_VAL, True),
    (
        "range []int continue else",
        "{{range .SI}}-{{.}}-{{continue}}NOTREACHED{{else}}EMPTY{{end}}",
        "-3--4--5-",
        T_VAL,
        True,
    ),
    ("range []bool", "{{range .SB}}-{{.}}-{{end}}", "-true--false-", T_VAL, True),
    ("range map", "{{range .MSI}}-{{.}}-{{end}}", "-1--3--2-", T_VAL, True),
    ("range empty map no else", "{{range .MSIEmpty}}-{{.}}-{{end}}", "", T_VAL, True),
    ("range map else", "{{range .MSI}}-{{.}}-{{else}}EMPTY{{end}}", "-1--3--2-", T_VAL, True),
    ("range empty map else", "{{range .MSIEmpty}}-{{.}}-{{else}}EMPTY{{end}}", "EMPTY", T_VAL, True),
    ("range empty interface", "{{range .Empty3}}-{{.}}-{{else}}EMPTY{{end}}", "-7--8-", T_VAL, True),
    ("range empty nil", "{{range .Empty0}}-{{.}}-{{end}}", "", T_VAL, True),
    ("range $x SI", "{{range $x := .SI}}<{{$x}}>{{end}}", "<3><4><5>", T_VAL, True),
    ("range $x $y SI", "{{range $x, $y := .SI}}<{{$x}}={{$y}}>{{end}}", "<0=3><1=4><2=5>", T_VAL, True),
    ("range $x MSIone", "{{range $x := .MSIone}}<{{$x}}>{{end}}", "<1>", T_VAL, True),
    ("range $x $y MSIone", "{{range $x, $y := .MSIone}}<{{$x}}={{$y}}>{{end}}", "<one=1>", T_VAL, True),
    ("range $x PSI", "{{range $x := .PSI}}<{{$x}}>{{end}}", "<21><22><23>", T_VAL, True),
    ("declare in range", "{{range $x := .PSI}}<{{$foo:=$x}}{{$x}}>{{end}}", "<21><22><23>", T_VAL, True),
    ("range int", "{{range $x := 5}}{{$x}}{{end}}", "01234", T_VAL, True),
    ("range int zero", "{{range 0}}x{{else}}empty{{end}}", "empty", T_VAL, True),
    ("range int two vars", "{{range $i, $x := 5}}{{end}}", "", T_VAL, False),
    ("range assign", "{{$x := 0}}{{range $x = .SI}}{{end}}{{$x}}", "5", T_VAL, True),
    ("range assign two", "{{$i := 0}}{{$v := 0}}{{range $i, $v = .SI}}{{end}}{{$i}}{{$v}}", "25", T_VAL, True),
    ("or as if true", '{{or .SI "slice is empty"}}', "[3 4 5]", T_VAL, True),
    ("or as if false", '{{or .SIEmpty "slice is empty"}}', "slice is empty", T_VAL, True),
    ("bug4", "{{if .Empty0}}non-nil{{else}}nil{{end}}", "nil", T_VAL, True),
    ("bug7a", "{{3 2}}", "", T_VAL, False),
    ("bug7b", "{{$x := 1}}{{$x 2}}", "", T_VAL, False),
    ("bug7c", "{{$x := 1}}{{3 | $x}}", "", T_VAL, False),
    ("bug8a", "{{3|oneArg}}", "", T_VAL, False),
    ("bug8b", "{{4|dddArg 3}}", "", T_VAL, False),
    ("bug9", "{{.cause}}", "neglect", {"cause": "neglect"}, True),
    ("bug10", "{{mapOfThree.three}}-{{(mapOfThree).three}}", "3-3", 0, True),
    ("bug11", "{{valueString .PS}}", "", GoStruct("template.T", [("PS", GoPointer(None, "*string"))]), False),
    ("bug12xe", "{{printf `%T` 0xef}}", "int", None, True),
    ("bug12xE", "{{printf `%T` 0xEE}}", "int", None, True),
    ("bug12Xe", "{{printf `%T` 0Xef}}", "int", None, True),
    ("bug12XE", "{{printf `%T` 0XEE}}", "int", None, True),
    ("bug14a", "{{(nil).True}}", "", T_VAL, False),
    ("bug14b", "{{$x := nil}}{{$x.anything}}", "", T_VAL, False),
    ("bug14c", '{{$x := (1.0)}}{{$y := ("hello")}}{{$x.anything}}{{$y.true}}', "", T_VAL, False),
    ("bug15", "{{valueString returnInt}}", "", T_VAL, False),
    ("bug16a", "{{true|printf}}", "", T_VAL, False),
    ("bug16b", "{{1|printf}}", "", T_VAL, False),
    ("bug16c", "{{1.1|printf}}", "", T_VAL, False),
    ("bug16d", "{{'x'|printf}}", "", T_VAL, False),
    ("bug16e", "{{0i|printf}}", "", T_VAL, False),
    ("bug16f", '{{true|twoArgs "xxx"}}', "", T_VAL, False),
    ("bug16g", '{{"aaa" |twoArgs "bbb"}}', "twoArgs=bbbaaa", T_VAL, True),
    ("bug16h", "{{1|oneArg}}", "", T_VAL, False),
    ("bug16i", '{{"aaa"|oneArg}}', "oneArg=aaa", T_VAL, True),
    ("bug16j", '{{1+2i|printf "%v"}}', "(1+2i)", T_VAL, True),
    ("bug16k", '{{"aaa"|printf }}', "aaa", T_VAL, True),
]


@pytest.mark.parametrize(("name", "text", "output", "data", "ok"), EXEC_TESTS, ids=[t[0] for t in EXEC_TESTS])
def test_exec(name: str, text: str, output: str, data: Any, ok: bool) -> None:
    template = parse(text, name, TEST_FUNCS)
    if ok:
        assert template.execute(data) == output
    else:
        with pytest.raises(GoTemplateError) as info:
            template.execute(data)
        assert info.value.output == output
        assert str(info.value).startswith(f"template: {name}:")


# cmpTests (exec_test.go); uint/int mixing reads as int here, which gives Go's answers.
CMP_DATA = GoPointer(
    GoStruct(
        "struct { Uthree uint; Ufour uint; NegOne int; Three int }",
        [("Uthree", 3), ("Ufour", 4), ("NegOne", -1), ("Three", 3)],
    ),
    "*struct { Uthree uint; Ufour uint; NegOne int; Three int }",
)
CMP_TESTS = [
    ("eq true true", "true"),
    ("eq true false", "false"),
    ("eq 1+2i 1+2i", "true"),
    ("eq 1+2i 1+3i", "false"),
    ("eq 1.5 1.5", "true"),
    ("eq 1.5 2.5", "false"),
    ("eq 1 1", "true"),
    ("eq 1 2", "false"),
    ("eq `xy` `xy`", "true"),
    ("eq `xy` `xyz`", "false"),
    ("eq .Uthree .Uthree", "true"),
    ("eq .Uthree .Ufour", "false"),
    ("eq 3 4 5 6 3", "true"),
    ("eq 3 4 5 6 7", "false"),
    ("ne true true", "false"),
    ("ne true false", "true"),
    ("ne 1+2i 1+2i", "false"),
    ("ne 1.5 2.5", "true"),
    ("ne 1 1", "false"),
    ("ne `xy` `xyz`", "true"),
    ("lt 1.5 1.5", "false"),
    ("lt 1.5 2.5", "true"),
    ("lt 1 1", "false"),
    ("lt 1 2", "true"),
    ("lt `xy` `xy`", "false"),
    ("lt `xy` `xyz`", "true"),
    ("lt .Uthree .Ufour", "true"),
    ("le 1.5 1.5", "true"),
    ("le 2.5 1.5", "false"),
    ("le 1 2", "true"),
    ("le `xyz` `xy`", "false"),
    ("gt 1.5 1.5", "false"),
    ("gt 2 1", "true"),
    ("gt `xy` `xyz`", "false"),
    ("gt .Ufour .Uthree", "true"),
    ("ge 1.5 2.5", "false"),
    ("ge 2 1", "true"),
    ("ge `xyz` `xy`", "true"),
    ("eq .Uthree .Three", "true"),
    ("lt .NegOne .Uthree", "true"),
    ("ge .Uthree .NegOne", "true"),
    ("eq (index `x` 0) 'x'", "true"),
    ("eq (index `x` 0) 'y'", "false"),
    ("eq `xy` 1", None),
    ("eq 2 2.0", None),
    ("lt true true", None),
    ("lt 1+0i 1+0i", None),
]


@pytest.mark.parametrize(("expr", "truth"), CMP_TESTS)
def test_comparison(expr: str, truth: str | None) -> None:
    template = parse(f"{{{{if {expr}}}}}true{{{{else}}}}false{{{{end}}}}", "empty")
    if truth is None:
        with pytest.raises(GoTemplateError):
            template.execute(CMP_DATA)
    else:
        assert template.execute(CMP_DATA) == truth


def test_comparison_error_texts() -> None:
    with pytest.raises(GoTemplateError) as info:
        parse('{{eq "xy" 1}}').execute(None)
    assert str(info.value) == (
        'template: get:1:2: executing "get" at <eq "xy" 1>: error calling eq: '
        "incompatible types for comparison: string and int"
    )
    with pytest.raises(GoTemplateError) as info:
        parse("{{lt true true}}").execute(None)
    assert str(info.value).endswith("error calling lt: invalid type for comparison")
    with pytest.raises(GoTemplateError) as info:
        parse("{{eq 1}}").execute(None)
    assert str(info.value).endswith("error calling eq: missing argument for comparison")


INTERFACE_DATA = {
    "PlusOne": GoFunc(lambda n: n + 1, ("int",)),
    "Slice": GoSlice([0, 1, 2, 3], "[]int"),
    "One": 1,
    "Two": 2,
    "Nil": None,
    "Zero": 0,
}
INTERFACE_TESTS = [
    ("{{index .Nil 1}}", "ERROR: index of untyped nil"),
    ("{{index .Slice 2}}", "2"),
    ("{{index .Slice .Two}}", "2"),
    ("{{call .Nil 1}}", "ERROR: call of nil"),
    ("{{call .PlusOne 1}}", "2"),
    ("{{call .PlusOne .One}}", "2"),
    ("{{and (index .Slice 0) true}}", "0"),
    ("{{and .Zero true}}", "0"),
    ("{{and (index .Slice 1) false}}", "false"),
    ("{{or (index .Slice 0) false}}", "false"),
    ("{{or (index .Slice 1) true}}", "1"),
    ("{{not (index .Slice 0)}}", "true"),
    ("{{not .One}}", "false"),
    ("{{eq (index .Slice 0) .Zero}}", "true"),
    ("{{ne (index .Slice 1) .One}}", "false"),
    ("{{ge (index .Slice 0) .One}}", "false"),
    ("{{gt (index .Slice 1) .Zero}}", "true"),
    ("{{le (index .Slice 1) .Zero}}", "false"),
    ("{{lt (index .Slice 0) .One}}", "true"),
]


@pytest.mark.parametrize(("text", "out"), INTERFACE_TESTS)
def test_interface_values(text: str, out: str) -> None:
    """TestInterfaceValues (golang.org/issue/17714)."""
    template = parse(text, "tmpl")
    if out.startswith("ERROR:"):
        with pytest.raises(GoTemplateError, match=out.removeprefix("ERROR: ")):
            template.execute(INTERFACE_DATA)
    else:
        assert template.execute(INTERFACE_DATA) == out


def test_exec_error_in_nested_template() -> None:
    """TestExecError: the location is in the defining text, the name is the executing template."""
    text = (
        'line 1\nline 2\nline 3\n{{template "one" .}}\n'
        '{{define "one"}}{{template "two" .}}{{end}}\n'
        '{{define "two"}}{{template "three" .}}{{end}}\n'
        '{{define "three"}}{{index "hi" $}}{{end}}'
    )
    with pytest.raises(GoTemplateError) as info:
        parse(text, "top").execute(5)
    assert str(info.value) == (
        'template: top:7:20: executing "three" at <index "hi" $>: error calling index: index out of range: 5'
    )
    assert info.value.output == "line 1\nline 2\nline 3\n"
    assert (info.value.line, info.value.column, info.value.context) == (7, 20, 'index "hi" $')


def test_execute_gives_exec_error() -> None:
    """TestExecuteGivesExecError."""
    with pytest.raises(GoTemplateError, match="field X in type int"):
        parse("hello, {{.X.Y}}", "X").execute(0)


def test_missing_map_key() -> None:
    assert parse("{{.x}} {{.y}}", "t1").execute(GoMap({"x": 99}, "map[string]int", 0)) == "99 <no value>"


def test_missing_field_on_nil() -> None:
    """TestMissingFieldOnNil: a field the type lacks is reported as such, not as a nil pointer."""
    nil_t = GoPointer(None, "*template.T", fields=lambda name: name == "X")
    with pytest.raises(GoTemplateError) as info:
        parse("{{.MissingField}}", "tmpl").execute(nil_t)
    assert str(info.value).endswith("can't evaluate field MissingField in type *template.T")
    with pytest.raises(GoTemplateError) as info:
        parse("{{.X}}", "tmpl").execute(nil_t)
    assert str(info.value).endswith("nil pointer evaluating *template.T.X")


def test_max_exec_depth() -> None:
    """TestMaxExecDepth: endless recursion is an error, not a crash."""
    with pytest.raises(GoTemplateError, match="exceeded maximum template depth"):
        parse('{{template "tmpl" .}}', "tmpl").execute(None)


def test_block() -> None:
    """TestBlock (first half): a block defines a template and runs it in place."""
    template = parse('a({{block "inner" .}}bar({{.}})baz{{end}})b', "outer")
    assert template.execute("hello") == "a(bar(hello)baz)b"


def test_tree_recursion() -> None:
    """TestTree, with the default delimiters: a recursive template over a binary tree."""
    text = """
    {{- define "tree" -}}
    [
        {{- .Val -}}
        {{- with .Left -}}
            {{template "tree" . -}}
        {{- end -}}
        {{- with .Right -}}
            {{- template "tree" . -}}
        {{- end -}}
    ]
    {{- end -}}
    {{template "tree" .}}"""

    def node(val: int, left: Any = None, right: Any = None) -> GoPointer:
        nil = GoPointer(None, "*template.Tree")
        return GoPointer(
            GoStruct("template.Tree", [("Val", val), ("Left", left or nil), ("Right", right or nil)]), "*template.Tree"
        )

    tree = node(
        1,
        node(2, node(3, node(4)), node(5, node(6))),
        node(7, node(8, node(9)), node(10, node(11))),
    )
    assert parse(text, "root").execute(tree) == "[1[2[3[4]][5[6]]][7[8[9]][10[11]]]]"


def test_js_escaping() -> None:
    """TestJSEscaping (the current Go escapes '<', '>', '&' and '=' as \\u00XX)."""
    cases = [
        ("a", "a"),
        ("'foo", "\\'foo"),
        ('Go "jump" \\', 'Go \\"jump\\" \\\\'),
        ('Yukihiro says "今日は世界"', 'Yukihiro says \\"今日は世界\\"'),
        ("unprintable \ufffe", "unprintable \\uFFFE"),
        ("<html>", "\\u003Chtml\\u003E"),
        ("no = in attributes", "no \\u003D in attributes"),
        ("&#x27; does not become HTML entity", "\\u0026#x27; does not become HTML entity"),
    ]
    for given_text, expected in cases:
        assert parse("{{js .}}").execute(given_text) == expected


def test_unterminated_string_error() -> None:
    """TestUnterminatedStringError: the line is the one the string starts on."""
    with pytest.raises(GoTemplateError) as info:
        parse("hello\n\n{{`unterminated\n\n\n\n}}\n some more\n\n", "X")
    assert "X:3: unterminated raw quoted string" in str(info.value)


def test_partial_output_is_kept_on_error() -> None:
    with pytest.raises(GoTemplateError) as info:
        parse("a{{.}}b{{len 3}}c").execute("x")
    assert info.value.output == "axb"


def test_function_errors_and_panics() -> None:
    def boom() -> str:
        raise RuntimeError("kaboom")

    with pytest.raises(GoTemplateError) as info:
        parse("{{boom}}", funcs={"boom": GoFunc(boom)}).execute(None)
    assert str(info.value) == 'template: get:1:2: executing "get" at <boom>: error calling boom: kaboom'


# -- parse_test.go --------------------------------------------------------------------------

NUMBER_TESTS: list[tuple[str, tuple[bool, bool, bool, bool], tuple[int, int, float, complex]]] = [
    ("0", (True, True, True, False), (0, 0, 0, 0)),
    ("-0", (True, True, True, False), (0, 0, 0, 0)),
    ("73", (True, True, True, False), (73, 73, 73, 0)),
    ("7_3", (True, True, True, False), (73, 73, 73, 0)),
    ("0b10_010_01", (True, True, True, False), (73, 73, 73, 0)),
    ("0B10_010_01", (True, True, True, False), (73, 73, 73, 0)),
    ("073", (True, True, True, False), (0o73, 0o73, 0o73, 0)),
    ("0o73", (True, True, True, False), (0o73, 0o73, 0o73, 0)),
    ("0O73", (True, True, True, False), (0o73, 0o73, 0o73, 0)),
    ("0x73", (True, True, True, False), (0x73, 0x73, 0x73, 0)),
    ("0X73", (True, True, True, False), (0x73, 0x73, 0x73, 0)),
    ("0x7_3", (True, True, True, False), (0x73, 0x73, 0x73, 0)),
    ("-73", (True, False, True, False), (-73, 0, -73, 0)),
    ("+73", (True, False, True, False), (73, 0, 73, 0)),
    ("100", (True, True, True, False), (100, 100, 100, 0)),
    ("1e9", (True, True, True, False), (10**9, 10**9, 1e9, 0)),
    ("-1e9", (True, False, True, False), (-(10**9), 0, -1e9, 0)),
    ("-1.2", (False, False, True, False), (0, 0, -1.2, 0)),
    ("1e19", (False, True, True, False), (0, 10**19, 1e19, 0)),
    ("1e1_9", (False, True, True, False), (0, 10**19, 1e19, 0)),
    ("1E19", (False, True, True, False), (0, 10**19, 1e19, 0)),
    ("-1e19", (False, False, True, False), (0, 0, -1e19, 0)),
    ("0x_1p4", (True, True, True, False), (16, 16, 16, 0)),
    ("0X_1P4", (True, True, True, False), (16, 16, 16, 0)),
    ("0x_1p-4", (False, False, True, False), (0, 0, 1 / 16, 0)),
    ("4i", (False, False, False, True), (0, 0, 0, 4j)),
    ("-1.2+4.2i", (False, False, False, True), (0, 0, 0, -1.2 + 4.2j)),
    ("073i", (False, False, False, True), (0, 0, 0, 73j)),
    ("0i", (True, True, True, True), (0, 0, 0, 0)),
    ("-1.2+0i", (False, False, True, True), (0, 0, -1.2, -1.2)),
    ("-12+0i", (True, False, True, True), (-12, 0, -12, -12)),
    ("13+0i", (True, True, True, True), (13, 13, 13, 13)),
    ("0123", (True, True, True, False), (0o123, 0o123, 0o123, 0)),
    ("-0x0", (True, True, True, False), (0, 0, 0, 0)),
    ("0xdeadbeef", (True, True, True, False), (0xDEADBEEF, 0xDEADBEEF, 0xDEADBEEF, 0)),
    ("'a'", (True, True, True, False), (97, 97, 97, 0)),
    ("'\\n'", (True, True, True, False), (10, 10, 10, 0)),
    ("'\\\\'", (True, True, True, False), (92, 92, 92, 0)),
    ("'\\''", (True, True, True, False), (39, 39, 39, 0)),
    ("'\\xFF'", (True, True, True, False), (0xFF, 0xFF, 0xFF, 0)),
    ("'パ'", (True, True, True, False), (0x30D1, 0x30D1, 0x30D1, 0)),
    ("'\\u30d1'", (True, True, True, False), (0x30D1, 0x30D1, 0x30D1, 0)),
    ("'\\U000030d1'", (True, True, True, False), (0x30D1, 0x30D1, 0x30D1, 0)),
    ("0xef", (True, True, True, False), (0xEF, 0xEF, 0xEF, 0)),
]
BAD_NUMBERS = ["+-2", "0x123.", "1e.", "0xi.", "1+2.", "'x", "'xx'", "'433937734937734969526500969526500'"]


def _number_kind(text: str) -> str:
    if text.startswith("'"):
        return "charconst"
    body = text.lstrip("+-")
    return "complex" if body.endswith("i") and any(c in body for c in "+-") else "number"


@pytest.mark.parametrize(("text", "kinds", "values"), NUMBER_TESTS, ids=[t[0] for t in NUMBER_TESTS])
def test_number_parse(text: str, kinds: tuple[bool, bool, bool, bool], values: tuple[int, int, float, complex]) -> None:
    num = parse_number(text, _number_kind(text))
    assert (num.is_int, num.is_uint, num.is_float, num.is_complex) == kinds
    if num.is_int:
        assert num.int64 == values[0]
    if num.is_uint:
        assert num.uint64 == values[1]
    if num.is_float:
        assert num.float64 == values[2]
    if num.is_complex:
        assert num.complex128 == values[3]


@pytest.mark.parametrize("text", BAD_NUMBERS)
def test_number_parse_errors(text: str) -> None:
    with pytest.raises(LiteralError):
        parse_number(text, _number_kind(text))


BUILTIN_NAMES = {
    "printf": GoFunc(sprintf, ("string",), "any"),
    "contains": GoFunc(lambda a, b: b in a, ("string", "string")),
}

PARSE_TESTS = [
    ("empty", "", ""),
    ("comment", "{{/*\n\n\n*/}}", ""),
    ("spaces", " \t\n", '" \\t\\n"'),
    ("text", "some text", '"some text"'),
    ("emptyAction", "{{}}", None),
    ("field", "{{.X}}", "{{.X}}"),
    ("simple command", "{{printf}}", "{{printf}}"),
    ("$ invocation", "{{$}}", "{{$}}"),
    ("variable invocation", "{{with $x := 3}}{{$x 23}}{{end}}", "{{with $x := 3}}{{$x 23}}{{end}}"),
    ("variable with fields", "{{$.I}}", "{{$.I}}"),
    ("multi-word command", "{{printf `%d` 23}}", "{{printf `%d` 23}}"),
    ("pipeline", "{{.X|.Y}}", "{{.X | .Y}}"),
    ("pipeline with decl", "{{$x := .X|.Y}}", "{{$x := .X | .Y}}"),
    ("nested pipeline", "{{.X (.Y .Z) (.A | .B .C) (.E)}}", "{{.X (.Y .Z) (.A | .B .C) (.E)}}"),
    ("field applied to parentheses", "{{(.Y .Z).Field}}", "{{(.Y .Z).Field}}"),
    ("simple if", "{{if .X}}hello{{end}}", '{{if .X}}"hello"{{end}}'),
    ("if with else", "{{if .X}}true{{else}}false{{end}}", '{{if .X}}"true"{{else}}"false"{{end}}'),
    (
        "if with else if",
        "{{if .X}}true{{else if .Y}}false{{end}}",
        '{{if .X}}"true"{{else}}{{if .Y}}"false"{{end}}{{end}}',
    ),
    (
        "if else chain",
        "+{{if .X}}X{{else if .Y}}Y{{else if .Z}}Z{{end}}+",
        '"+"{{if .X}}"X"{{else}}{{if .Y}}"Y"{{else}}{{if .Z}}"Z"{{end}}{{end}}{{end}}"+"',
    ),
    ("simple range", "{{range .X}}hello{{end}}", '{{range .X}}"hello"{{end}}'),
    ("chained field range", "{{range .X.Y.Z}}hello{{end}}", '{{range .X.Y.Z}}"hello"{{end}}'),
    (
        "nested range",
        "{{range .X}}hello{{range .Y}}goodbye{{end}}{{end}}",
        '{{range .X}}"hello"{{range .Y}}"goodbye"{{end}}{{end}}',
    ),
    ("range with else", "{{range .X}}true{{else}}false{{end}}", '{{range .X}}"true"{{else}}"false"{{end}}'),
    ("range over pipeline", "{{range .X|.M}}true{{else}}false{{end}}", '{{range .X | .M}}"true"{{else}}"false"{{end}}'),
    ("range []int", "{{range .SI}}{{.}}{{end}}", "{{range .SI}}{{.}}{{end}}"),
    ("range 1 var", "{{range $x := .SI}}{{.}}{{end}}", "{{range $x := .SI}}{{.}}{{end}}"),
    ("range 2 vars", "{{range $x, $y := .SI}}{{.}}{{end}}", "{{range $x, $y := .SI}}{{.}}{{end}}"),
    ("range with break", "{{range .SI}}{{.}}{{break}}{{end}}", "{{range .SI}}{{.}}{{break}}{{end}}"),
    ("range with continue", "{{range .SI}}{{.}}{{continue}}{{end}}", "{{range .SI}}{{.}}{{continue}}{{end}}"),
    ("constants", "{{range .SI 1 -3.2i true false 'a' nil}}{{end}}", "{{range .SI 1 -3.2i true false 'a' nil}}{{end}}"),
    ("template", "{{template `x`}}", '{{template "x"}}'),
    ("template with arg", "{{template `x` .Y}}", '{{template "x" .Y}}'),
    ("with", "{{with .X}}hello{{end}}", '{{with .X}}"hello"{{end}}'),
    ("with with else", "{{with .X}}hello{{else}}goodbye{{end}}", '{{with .X}}"hello"{{else}}"goodbye"{{end}}'),
    (
        "with with else with",
        "{{with .X}}hello{{else with .Y}}goodbye{{end}}",
        '{{with .X}}"hello"{{else}}{{with .Y}}"goodbye"{{end}}{{end}}',
    ),
    (
        "with else chain",
        "{{with .X}}X{{else with .Y}}Y{{else with .Z}}Z{{end}}",
        '{{with .X}}"X"{{else}}{{with .Y}}"Y"{{else}}{{with .Z}}"Z"{{end}}{{end}}{{end}}',
    ),
    ("trim left", "x \r\n\t{{- 3}}", '"x"{{3}}'),
    ("trim right", "{{3 -}}\n\n\ty", '{{3}}"y"'),
    ("trim left and right", "x \r\n\t{{- 3 -}}\n\n\ty", '"x"{{3}}"y"'),
    ("trim with extra spaces", "x\n{{-  3   -}}\ny", '"x"{{3}}"y"'),
    ("comment trim left", "x \r\n\t{{- /* hi */}}", '"x"'),
    ("comment trim right", "{{/* hi */ -}}\n\n\ty", '"y"'),
    ("comment trim left and right", "x \r\n\t{{- /* */ -}}\n\n\ty", '"x""y"'),
    ("block definition", '{{block "foo" .}}hello{{end}}', '{{template "foo" .}}'),
    ("newline in assignment", "{{ $x \n := \n 1 \n }}", "{{$x := 1}}"),
    ("newline in empty action", "{{\n}}", None),
    ("newline in pipeline", '{{\n"x"\n|\nprintf\n}}', '{{"x" | printf}}'),
    ("newline in comment", "{{/*\nhello\n*/}}", ""),
    ("newline in comment trimmed", "{{-\n/*\nhello\n*/\n-}}", ""),
    ("spaces around continue", "{{range .SI}}{{.}}{{ continue }}{{end}}", "{{range .SI}}{{.}}{{continue}}{{end}}"),
    ("spaces around break", "{{range .SI}}{{.}}{{ break }}{{end}}", "{{range .SI}}{{.}}{{break}}{{end}}"),
    ("unclosed action", "hello{{range", None),
    ("unmatched end", "{{end}}", None),
    ("unmatched else", "{{else}}", None),
    ("unmatched else after if", "{{if .X}}hello{{end}}{{else}}", None),
    ("multiple else", "{{if .X}}1{{else}}2{{else}}3{{end}}", None),
    ("missing end", "hello{{range .x}}", None),
    ("missing end after else", "hello{{range .x}}{{else}}", None),
    ("undefined function", "hello{{undefined}}", None),
    ("undefined variable", "{{$x}}", None),
    ("variable undefined after end", "{{with $x := 4}}{{end}}{{$x}}", None),
    ("variable undefined in template", "{{template $v}}", None),
    ("declare with field", "{{with $x.Y := 4}}{{end}}", None),
    ("template with field ref", "{{template .X}}", None),
    ("invalid punctuation", "{{printf 3, 4}}", None),
    ("multidecl outside range", "{{with $v, $u := 3}}{{end}}", None),
    ("too many decls in range", "{{range $u, $v, $w := 3}}{{end}}", None),
    ("dot applied to parentheses", "{{printf (printf .).}}", None),
    ("adjacent args", "{{printf 3`x`}}", None),
    ("adjacent args with .", "{{printf `x`.}}", None),
    ("extra end after if", "{{if .X}}a{{else if .Y}}b{{end}}{{end}}", None),
    ("break outside range", "{{range .}}{{end}} {{break}}", None),
    ("continue outside range", "{{range .}}{{end}} {{continue}}", None),
    ("break in range else", "{{range .}}{{else}}{{break}}{{end}}", None),
    ("continue in range else", "{{range .}}{{else}}{{continue}}{{end}}", None),
    ("bug0a", "{{$x := 0}}{{$x}}", "{{$x := 0}}{{$x}}"),
    ("bug0b", "{{$x += 1}}{{$x}}", None),
    ("bug0c", "{{$x ! 2}}{{$x}}", None),
    ("bug0d", "{{$x % 3}}{{$x}}", None),
    ("bug0e", "{{range $x := $y := 3}}{{end}}", None),
    ("bug1a", "{{$x:=.}}{{$x!2}}", None),
    ("bug1b", "{{$x:=.}}{{$x+2}}", None),
    ("bug1c", "{{$x:=.}}{{$x +2}}", "{{$x := .}}{{$x +2}}"),
    ("bug2a", "{{range $x := 0}}{{$x}}{{end}}", "{{range $x := 0}}{{$x}}{{end}}"),
    ("bug2b", "{{range $x = 0}}{{$x}}{{end}}", "{{range $x = 0}}{{$x}}{{end}}"),
    ("dot after integer", "{{1.E}}", None),
    ("dot after float", "{{0.1.E}}", None),
    ("dot after boolean", "{{true.E}}", None),
    ("dot after char", "{{'a'.any}}", None),
    ("dot after string", '{{"hello".guys}}', None),
    ("dot after dot", "{{..E}}", None),
    ("dot after nil", "{{nil.E}}", None),
    ("wrong pipeline dot", "{{12|.}}", None),
    ("wrong pipeline number", "{{.|12|printf}}", None),
    ("wrong pipeline string", '{{.|printf|"error"}}', None),
    ("wrong pipeline char", "{{12|printf|'e'}}", None),
    ("wrong pipeline boolean", "{{.|true}}", None),
    ("wrong pipeline nil", "{{'c'|nil}}", None),
    ("empty pipeline", '{{printf "%d" ( ) }}', None),
    ("block definition without pipeline", '{{block "foo"}}hello{{end}}', None),
]


@pytest.mark.parametrize(("name", "text", "result"), PARSE_TESTS, ids=[t[0] for t in PARSE_TESTS])
def test_parse(name: str, text: str, result: str | None, monkeypatch: pytest.MonkeyPatch) -> None:
    """parseTests: the tree prints back as Go prints it (text quoted, as Go's test sets textFormat)."""
    monkeypatch.setattr(TextNode, "quoted", True)
    if result is None:
        with pytest.raises(GoTemplateError):
            parse(text, name, BUILTIN_NAMES)
        return
    trees = parse_templates(name, text, BUILTIN_NAMES.keys())
    root = trees[name].root
    assert root is not None
    assert str(root) == result


ERROR_TESTS = [
    ("unclosed1", "line1\n{{", "unclosed1:2: unclosed action"),
    ("unclosed2", "line1\n{{define `x`}}line2\n{{", "unclosed2:3: unclosed action"),
    ("unclosed3", 'line1\n{{"x"\n"y"\n', "unclosed3:4: unclosed action started at unclosed3:2"),
    ("unclosed4", "{{\n\n\n\n\n", "unclosed4:6: unclosed action started at unclosed4:1"),
    ("var1", "line1\n{{\nx\n}}", 'var1:3: function "x" not defined'),
    ("function", "{{foo}}", 'function "foo" not defined'),
    ("comment1", "{{/*}}", "comment1:1: unclosed comment"),
    ("comment2", "{{/*\nhello\n}}", "comment2:1: unclosed comment"),
    ("lparen", "{{.X (1 2 3}}", "unclosed left paren"),
    ("rparen", "{{.X 1 2 3 ) }}", "unexpected right paren"),
    ("rparen2", "{{(.X 1 2 3", "unclosed action"),
    ("space", "{{`x`3}}", "in operand"),
    ("idchar", "{{a#}}", "'#'"),
    ("charconst", "{{'a}}", "unterminated character constant"),
    ("stringconst", '{{"a}}', "unterminated quoted string"),
    ("rawstringconst", "{{`a}}", "unterminated raw quoted string"),
    ("number", "{{0xi}}", "number syntax"),
    ("multidefine", "{{define `a`}}a{{end}}{{define `a`}}b{{end}}", "multiple definition of template"),
    ("eof", "{{range .X}}", "unexpected EOF"),
    ("variable", "{{$x := 23}}{{with $x.y := 3}}{{$x 23}}{{end}}", 'unexpected ":="'),
    ("multidecl", "{{$a,$b,$c := 23}}", "too many declarations"),
    ("undefvar", "{{$a}}", "undefined variable"),
    ("wrongdot", "{{true.any}}", "unexpected . after term"),
    ("wrongpipeline", "{{12|false}}", "non executable command in pipeline"),
    ("emptypipeline", "{{ ( ) }}", "missing value for parenthesized pipeline"),
    ("multilinerawstring", "{{ $v := `\n` }} {{", "multilinerawstring:2: unclosed action"),
    ("rangeundefvar", "{{range $k}}{{end}}", "undefined variable"),
    ("rangeundefvars", "{{range $k, $v}}{{end}}", "undefined variable"),
    ("rangemissingvalue1", "{{range $k,}}{{end}}", "missing value for range"),
    ("rangemissingvalue2", "{{range $k, $v := }}{{end}}", "missing value for range"),
    ("rangenotvariable1", "{{range $k, .}}{{end}}", "range can only initialize variables"),
    ("rangenotvariable2", "{{range $k, 123 := .}}{{end}}", "range can only initialize variables"),
]


@pytest.mark.parametrize(("name", "text", "message"), ERROR_TESTS, ids=[t[0] for t in ERROR_TESTS])
def test_parse_errors(name: str, text: str, message: str) -> None:
    with pytest.raises(GoTemplateError) as info:
        parse(text, name, {})
    assert message in str(info.value)
    assert info.value.phase == "parse"


def test_parse_error_texts_are_gos() -> None:
    cases = {
        "{{": "template: get:1: unclosed action",
        "{{end}}": "template: get:1: unexpected {{end}}",
        "{{if}}{{end}}": "template: get:1: missing value for if",
        "{{foo}}": 'template: get:1: function "foo" not defined',
        "{{.X | 3}}": "template: get:1: non executable command in pipeline stage 2",
        "{{range .}}{{break 1}}{{end}}": 'template: get:1: unexpected "1" in {{break}}',
        "{{break}}": "template: get:1: {{break}} outside {{range}}",
        "{{a#}}": "template: get:1: bad character U+0023 '#'",
        "{{.X }": 'template: get:1: unexpected "}" in operand',
        "{{if .X}}\n{{else}}\n{{else}}{{end}}": "template: get:3: expected end; found {{else}}",
        "{{\x01}}": "template: get:1: unrecognized character in action: U+0001",
    }
    for text, message in cases.items():
        with pytest.raises(GoTemplateError) as info:
            parse(text)
        assert str(info.value) == message, text


def test_keywords_and_funcs() -> None:
    """TestKeywordsAndFuncs: 'break' is a function where one of that name exists."""
    text = "{{range .X}}{{break 20}}{{end}}"
    parse(text, funcs={"break": GoFunc(lambda x: x, ("any",))})
    with pytest.raises(GoTemplateError):
        parse(text, funcs={})


@pytest.mark.parametrize(
    ("text", "empty"),
    [
        ("", True),
        ("hello", False),
        (" \t\n \t\n", True),
        ("{{/* comment */}}", True),
        ('{{define "x"}}something{{end}}', True),
        ("{{define `x`}}something{{end}}\n\n{{define `y`}}something{{end}}\n\n", True),
        ("{{define `x`}}something{{end}}\nx\n{{define `y`}}something{{end}}\ny\n", False),
        ("{{define `x`}}something{{end}}{{if 3}}foo{{end}}", False),
    ],
)
def test_is_empty_tree(text: str, empty: bool) -> None:
    """isEmptyTests."""
    assert is_empty_tree(parse_templates("root", text, ["printf"])["root"].root) is empty


def test_line_numbers_of_actions() -> None:
    """TestLineNum, through errors: each line's action reports its own line and column."""
    text = '{{printf "%d" 1234}}\n' * 3 + "{{.X.Y}}"
    with pytest.raises(GoTemplateError) as info:
        parse(text).execute(GoMap({"X": 1}, "map[string]int", 0))
    assert str(info.value).startswith("template: get:4:4: executing")


# -- robustness ---------------------------------------------------------------------------------

_TEMPLATE_ALPHABET = st.sampled_from(
    [
        "{{",
        "}}",
        "{{-",
        "-}}",
        " ",
        "\n",
        ".",
        "$",
        "$x",
        ":=",
        "=",
        "|",
        "(",
        ")",
        '"',
        "`",
        "'",
        "/*",
        "*/",
        "if",
        "else",
        "end",
        "range",
        "with",
        "define",
        "template",
        "block",
        "break",
        "continue",
        "nil",
        "true",
        ".X",
        "1",
        "-2",
        "0x",
        "1.5e3",
        "i",
        "printf",
        "index",
        "len",
        "eq",
        "and",
        "a",
        "é",
        "\\",
        ",",
        "#",
        "\t",
    ]
)


@settings(max_examples=400, deadline=2000)
@given(st.lists(_TEMPLATE_ALPHABET, max_size=40).map("".join))
def test_any_text_parses_or_fails_with_template_error(text: str) -> None:
    try:
        template = parse(text)
    except GoTemplateError:
        return
    if "range" in text:
        return  # {{range 111111111111}} is a valid, very long loop, in Go too
    with contextlib.suppress(GoTemplateError):
        template.execute({"X": [1, 2], "Y": {"a": "b"}})


@settings(max_examples=200, deadline=2000)
@given(st.text(max_size=200))
def test_arbitrary_text_never_raises_anything_else(text: str) -> None:
    with contextlib.suppress(GoTemplateError):
        parse(text)


def test_deep_nesting_is_a_template_error() -> None:
    with pytest.raises(GoTemplateError, match="max expression depth exceeded"):
        parse("{{" + "(" * 5000 + "1" + ")" * 5000 + "}}")
    with pytest.raises(GoTemplateError):
        parse("{{if 1}}" * 3000 + "{{end}}" * 3000)
    assert parse("{{" + "(" * 50 + "1" + ")" * 50 + "}}").execute(None) == "1"
