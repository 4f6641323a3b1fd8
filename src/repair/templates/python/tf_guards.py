"""Guard templates: None guards, empty collections and zero divisors, parsing fallbacks, clamps.

Each function takes (src, collector) for one ranked line and adds candidates as minimal
source edits; nothing re-prints the file.
"""
import ast

from tf_common import FUNCS, body_start, enclosing, insertion_statement, is_simple
from tf_values import docstring, documented_default, documented_ranges, implied_values

NEVER_NONE = {'self', 'cls', 'math', 'os', 'sys', 're', 'json', 'datetime', 'time', 'logging', 'str', 'int',
              'float', 'list', 'dict', 'set', 'tuple', 'len', 'print', 'super', 'True', 'False', 'None'}


def _imported(src):
    names = set()
    for n in ast.walk(src.tree):
        if isinstance(n, (ast.Import, ast.ImportFrom)):
            names.update((a.asname or a.name).split('.')[0] for a in n.names)
        elif isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.add(n.name)
    return names


def _root(node):
    while isinstance(node, (ast.Attribute, ast.Subscript)):
        node = node.value
    return node


def _context(src, col, node):
    """(function, statement) for a guard before the statement holding `node`, or (None, None)."""
    fn = enclosing(node, FUNCS)
    if not isinstance(fn, (ast.FunctionDef, ast.AsyncFunctionDef)):
        return None, None
    return fn, insertion_statement(src, node)


def _guards(src, col, node, condition, why, template, limit=2):
    fn, stmt = _context(src, col, node)
    if fn is None or stmt is None:
        return
    for value in implied_values(src, fn)[:limit]:
        shown = value or 'None (bare return)'
        col.add(template, 'return %s early when %s' % (shown, why), [col.guard(stmt, condition, value)])


def none_guard(src, col, nodes):
    skip = NEVER_NONE | _imported(src)
    seen = set()
    receivers = []
    for n in nodes:
        if isinstance(n, (ast.Attribute, ast.Subscript)) and is_simple(n.value):
            receivers.append(n.value)
        elif isinstance(n, (ast.For, ast.AsyncFor, ast.comprehension)) and is_simple(n.iter):
            receivers.append(n.iter)
        elif isinstance(n, ast.Call) and isinstance(n.func, ast.Name) and n.func.id in ('len', 'sorted', 'sum', 'max', 'min') and n.args and is_simple(n.args[0]):
            receivers.append(n.args[0])
    for r in receivers:
        text = src.seg(r)
        root = _root(r)
        if text in seen or (isinstance(root, ast.Name) and root.id in skip):
            continue
        seen.add(text)
        _guards(src, col, r, '%s is None' % text, '%s is None' % text, 'null-guard')


def _len_arg(node):
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == 'len' and len(node.args) == 1 and is_simple(node.args[0]):
        return node.args[0]
    return None


def empty_guards(src, col, nodes):
    for n in nodes:
        if isinstance(n, ast.BinOp) and isinstance(n.op, (ast.Div, ast.FloorDiv, ast.Mod)):
            d = n.right
            if isinstance(d, ast.Constant):
                continue
            seq = _len_arg(d)
            if seq is None and not is_simple(d):
                continue
            dt = src.seg(d)
            col.add('zero-divisor', 'yield 0 instead of dividing by %s when it is 0' % dt,
                    [col.replace(n, '(0 if %s == 0 else %s)' % (dt, src.seg(n)))])
            if seq is not None:
                _guards(src, col, n, 'not %s' % src.seg(seq), '%s is empty' % src.seg(seq), 'empty-collection')
            else:
                _guards(src, col, n, '%s == 0' % dt, '%s is 0' % dt, 'zero-divisor')
        elif isinstance(n, ast.Subscript) and is_simple(n.value):
            idx = n.slice
            if isinstance(idx, ast.Constant) and idx.value == 0 or (isinstance(idx, ast.UnaryOp) and isinstance(idx.op, ast.USub) and isinstance(idx.operand, ast.Constant) and idx.operand.value == 1):
                seq = src.seg(n.value)
                _guards(src, col, n, 'not %s' % seq, '%s is empty' % seq, 'empty-collection')
        elif isinstance(n, ast.Call):
            _call_defaults(src, col, n)


def _reducer_identity(src, fn):
    body = src.seg(fn)
    if 'max(' in body:
        return "float('-inf')"
    if 'min(' in body:
        return "float('inf')"
    if '*' in body and '+' not in body:
        return '1'
    if ' and ' in body:
        return 'True'
    if ' or ' in body:
        return 'False'
    return '0'


def _call_defaults(src, col, n):
    name = src.seg(n.func)
    if name in ('max', 'min') and len(n.args) == 1 and not n.keywords and not isinstance(n.args[0], ast.Starred):
        fn = enclosing(n, FUNCS)
        values = implied_values(src, fn) if isinstance(fn, (ast.FunctionDef, ast.AsyncFunctionDef)) else []
        for v in [v for v in values if v][:2] or ['None']:
            end = src.span(n.args[0])[1]
            col.add('empty-collection', 'give %s() the default %s for an empty input' % (name, v), [(end, end, ', default=%s' % v)])
    elif name in ('reduce', 'functools.reduce') and len(n.args) == 2:
        end = src.span(n.args[1])[1]
        init = _reducer_identity(src, n.args[0])
        col.add('reduce-initial', 'give reduce the initial value %s' % init, [(end, end, ', %s' % init)])


PARSERS = {'int': ('0', 'int'), 'float': ('0.0', 'float'), 'Decimal': ('Decimal(0)', 'number'),
           'datetime.strptime': ('None', 'date'), 'datetime.fromisoformat': ('None', 'date'),
           'date.fromisoformat': ('None', 'date'), 'datetime.datetime.strptime': ('None', 'date'),
           'datetime.date.fromisoformat': ('None', 'date'), 'datetime.datetime.fromisoformat': ('None', 'date')}


def parse_fallback(src, col, nodes):
    """try/except ValueError around the parse alone: assign a fallback, or return the function's
    implied value. Never a broad except: only the parse's own error is handled."""
    for n in nodes:
        if not isinstance(n, ast.Call) or src.seg(n.func) not in PARSERS or not n.args:
            continue
        fn = enclosing(n, FUNCS)
        if not isinstance(fn, (ast.FunctionDef, ast.AsyncFunctionDef)):
            continue
        default, kind = PARSERS[src.seg(n.func)]
        documented = documented_default(docstring(fn))
        fallbacks = [default] + ([documented] if documented and documented != default and kind != 'date' else [])
        stmt = n.parent
        whole = isinstance(stmt, ast.Assign) and len(stmt.targets) == 1 and isinstance(stmt.targets[0], ast.Name) and stmt.value is n
        if whole:
            start, end = src.span(stmt)
            line_end = src.text.find('\n', end)
            line_end = len(src.text) if line_end < 0 else line_end + 1
            trailer = src.text[end:line_end].rstrip('\r\n')
            whole = src.text[src.line_start(start):start].strip() == '' and trailer.strip()[:1] in ('', '#')
        holder = stmt if whole else insertion_statement(src, n)
        if holder is None or enclosing(n, (ast.comprehension, ast.Lambda, ast.GeneratorExp, ast.ListComp)) is not None:
            continue
        if whole:
            # Or leave the function with its implied value, for this one expected error only.
            for value in implied_values(src, fn)[:2]:
                ret = 'return %s' % value if value else 'return'
                lines = [(0, 'try:'), (1, src.seg(stmt) + trailer), (0, 'except ValueError:'), (1, ret)]
                col.add('parse-fallback', 'return %s when %s fails' % (value or 'None', src.seg(n)),
                        [(src.line_start(start), line_end, col.block(stmt, lines))])
        for fb in fallbacks:
            description = 'fall back to %s when %s fails' % (fb, src.seg(n))
            if whole:
                # The assignment itself moves into the try; its trailing comment stays with it.
                lines = [(0, 'try:'), (1, src.seg(stmt) + trailer), (0, 'except ValueError:'), (1, '%s = %s' % (stmt.targets[0].id, fb))]
                col.add('parse-fallback', description, [(src.line_start(start), line_end, col.block(stmt, lines))])
            else:
                tmp = 'parsed_%s' % (src.seg(n.args[0]) if isinstance(n.args[0], ast.Name) else 'value')
                lines = [(0, 'try:'), (1, '%s = %s' % (tmp, src.seg(n))), (0, 'except ValueError:'), (1, '%s = %s' % (tmp, fb))]
                col.add('parse-fallback', description, [col.insert_before(holder, lines), col.replace(n, tmp)])


def clamp(src, col, nodes):
    fn = src.function_at(col.line)
    if fn is None:
        return
    params = {a.arg for a in fn.args.args + fn.args.kwonlyargs}
    line_text = src.lines[col.line - 1] if col.line - 1 < len(src.lines) else ''
    comment = line_text.split('#', 1)[1] if '#' in line_text else ''
    for lo, hi, param in documented_ranges(docstring(fn) + '\n' + comment, params):
        if param is not None:
            first = body_start(src, fn)
            if first is not None:
                col.add('clamp', 'clamp %s to the documented %s..%s' % (param, lo, hi),
                        [col.insert_before(first, [(0, '%s = min(max(%s, %s), %s)' % (param, param, lo, hi))])])
            continue
        for n in nodes:
            value = None
            if isinstance(n, ast.Return) and n.value is not None:
                value = n.value
            elif isinstance(n, (ast.Assign, ast.AnnAssign, ast.AugAssign)) and n.value is not None:
                value = n.value
            if value is None or src.seg(value).startswith(('min(', 'max(')):
                continue
            col.add('clamp', 'clamp %s to the documented %s..%s' % (src.seg(value), lo, hi),
                    [col.replace(value, 'min(max(%s, %s), %s)' % (src.seg(value), lo, hi))])
