"""Value-search sites of a Python file (src/repair/value-search/): at each ranked line, the
condition of an `if`/`elif`/`while`/conditional expression, a returned value, an assigned value.

Request: {"mode": "sites", "source": str, "lines": [int]}
  -> {"sites": [{line, start, end, kind: "condition"|"value", text, constants: [number]}]}
Offsets are UTF-16 code units, as in the candidates mode. Sites outside a function, and
expressions a lambda cannot wrap without changing their meaning (yield, await, walrus), are left out.
"""
import ast

from tf_common import FUNCS, Source, enclosing


def _wrappable(node):
    for n in ast.walk(node):
        if isinstance(n, (ast.Yield, ast.YieldFrom, ast.Await, ast.NamedExpr, ast.Lambda)):
            return False
    return True


def _constants(fn):
    out = []
    for n in ast.walk(fn):
        if isinstance(n, ast.Constant) and isinstance(n.value, (int, float)) and not isinstance(n.value, bool):
            parent = getattr(n, 'parent', None)
            value = -n.value if isinstance(parent, ast.UnaryOp) and isinstance(parent.op, ast.USub) else n.value
            if value not in out:
                out.append(value)
    return out[:12]


def sites(request):
    try:
        src = Source(request['source'])
    except (SyntaxError, ValueError) as err:
        return {'sites': [], 'error': 'does not parse: %s' % err}
    out = []
    for line in request['lines']:
        if line < 1 or line > len(src.lines):
            continue
        for node in src.nodes_on_line(line):
            found = []
            if isinstance(node, (ast.If, ast.While, ast.IfExp)):
                found.append((node.test, 'condition'))
            elif isinstance(node, ast.Return) and node.value is not None:
                found.append((node.value, 'value'))
            elif isinstance(node, (ast.Assign, ast.AugAssign, ast.AnnAssign)) and node.value is not None:
                found.append((node.value, 'value'))
            for expr, kind in found:
                fn = enclosing(expr, FUNCS)
                if fn is None or isinstance(fn, ast.Lambda) or not _wrappable(expr):
                    continue
                start, end = src.span(expr)
                out.append({'line': line, 'start': src.utf16(start), 'end': src.utf16(end), 'kind': kind,
                            'text': src.text[start:end], 'constants': _constants(fn)})
    return {'sites': out}
