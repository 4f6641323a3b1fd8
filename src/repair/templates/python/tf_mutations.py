"""Mutation templates: off-by-one, operator swaps, variable replacement, missing await.

Operators have no positions in the ast, so their tokens are found with tokenize between the
spans of the operands; the edit then replaces just that token.
"""
import ast
import builtins

from tf_common import FUNCS, enclosing
from tf_values import kind_of_annotation, kind_of_expr

CMP_TEXT = {ast.Eq: '==', ast.NotEq: '!=', ast.Lt: '<', ast.LtE: '<=', ast.Gt: '>', ast.GtE: '>=',
            ast.Is: 'is', ast.IsNot: 'is not', ast.In: 'in', ast.NotIn: 'not in'}
INCLUSIVE = {'<': '<=', '<=': '<', '>': '>=', '>=': '>'}
SWAPS = {'==': ['!='], '!=': ['=='], 'is': ['is not'], 'is not': ['is'], 'in': ['not in'], 'not in': ['in'],
         '<': ['>', '>='], '>': ['<', '<='], '<=': ['>=', '>'], '>=': ['<=', '<']}
SIMPLE = (ast.Name, ast.Attribute, ast.Subscript, ast.Call, ast.Constant)
ARITH = (ast.Add, ast.Sub, ast.Mult, ast.Div, ast.FloorDiv, ast.Mod, ast.Pow)


def _op_span(src, left, right, text):
    """(start, end) of the operator `text` between two operand nodes."""
    words = text.split()
    toks = src.tokens_between(src.span(left)[1], src.span(right)[0])
    for i in range(len(toks) - len(words) + 1):
        if [t[1] for t in toks[i:i + len(words)]] == words:
            return toks[i][2], toks[i + len(words) - 1][3]
    return None


def _compare_ops(src, n):
    """(operator text, span, node) for each operator of a comparison chain."""
    out = []
    operands = [n.left] + n.comparators
    for i, op in enumerate(n.ops):
        text = CMP_TEXT[type(op)]
        span = _op_span(src, operands[i], operands[i + 1], text)
        if span:
            out.append((text, span))
    return out


def _int_literal(src, n):
    if isinstance(n, ast.Constant) and type(n.value) is int:
        return n.value
    if isinstance(n, ast.UnaryOp) and isinstance(n.op, ast.USub) and isinstance(n.operand, ast.Constant) and type(n.operand.value) is int:
        return -n.operand.value
    return None


def _is_adjustment(n):
    return isinstance(n, ast.BinOp) and isinstance(n.op, (ast.Add, ast.Sub)) and isinstance(n.right, ast.Constant) and n.right.value == 1 and type(n.right.value) is int


def _bounds(nodes):
    out = []
    for n in nodes:
        if isinstance(n, ast.Compare):
            out += [n.left] + n.comparators
        elif isinstance(n, ast.Subscript):
            s = n.slice
            out += [x for x in (s.lower, s.upper) if x is not None] if isinstance(s, ast.Slice) else [s]
        elif isinstance(n, ast.Call) and isinstance(n.func, ast.Name) and n.func.id == 'range':
            out += n.args
    return [b for b in out if _int_literal(None, b) is None and not _is_adjustment(b) and not isinstance(b, (ast.Constant, ast.Tuple, ast.Slice))]


def off_by_one(src, col, nodes):
    for n in nodes:
        if isinstance(n, ast.Compare):
            for text, (s, e) in _compare_ops(src, n):
                if text in INCLUSIVE:
                    col.add('off-by-one', '%s -> %s in %s' % (text, INCLUSIVE[text], src.seg(n)), [(s, e, INCLUSIVE[text])])
        if _is_adjustment(n):
            col.add('off-by-one', 'drop the adjustment in %s' % src.seg(n), [col.replace(n, src.seg(n.left))])
    for b in _bounds(nodes):
        text = src.seg(b)
        inner = text if isinstance(b, SIMPLE) or (isinstance(b, ast.BinOp) and isinstance(b.op, ARITH)) else '(%s)' % text
        for delta in ('+ 1', '- 1'):
            col.add('off-by-one', '%s -> %s %s' % (text, inner, delta), [col.replace(b, '%s %s' % (inner, delta))])
    for n in nodes:
        v = _int_literal(src, n)
        if v is None or isinstance(getattr(n, 'parent', None), ast.UnaryOp) or abs(v) >= 2 ** 31:
            continue
        parent = n.parent
        adjusts = _is_adjustment(parent) and parent.right is n
        index_like = isinstance(parent, (ast.Subscript, ast.Slice)) or isinstance(parent, ast.Call)
        for new in ([v + 1] if adjusts else [v - 1, v + 1]):
            if new < 0 <= v and not index_like:
                continue
            col.add('off-by-one', '%d -> %d' % (v, new), [col.replace(n, str(new))])


def _negated(src, test):
    text = src.seg(test)
    if isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not):
        start, end = src.span(test)
        return 'drop the negation of %s' % text, src.text[start + 3:end].strip()
    plain = isinstance(test, (ast.Name, ast.Attribute, ast.Call, ast.Subscript, ast.Compare))
    return 'negate %s' % text, ('not %s' % text) if plain else 'not (%s)' % text


def operator_swap(src, col, nodes):
    for n in nodes:
        if isinstance(n, ast.Compare):
            for text, (s, e) in _compare_ops(src, n):
                for to in SWAPS.get(text, []):
                    col.add('operator-swap', '%s -> %s in %s' % (text, to, src.seg(n)), [(s, e, to)])
        elif isinstance(n, ast.BoolOp):
            word = 'and' if isinstance(n.op, ast.And) else 'or'
            other = 'or' if word == 'and' else 'and'
            for left, right in zip(n.values, n.values[1:]):
                span = _op_span(src, left, right, word)
                if span:
                    # `a and b or c` parses as BoolOp(or, [BoolOp(and)...]); swapping keeps the text's grouping.
                    col.add('operator-swap', '%s -> %s in %s' % (word, other, src.seg(n)), [(span[0], span[1], other)])
        elif isinstance(n, (ast.If, ast.While, ast.IfExp, ast.Assert)):
            description, text = _negated(src, n.test)
            col.add('operator-swap', description, [col.replace(n.test, text)])
        elif isinstance(n, ast.Constant) and isinstance(n.value, bool):
            to = 'False' if n.value else 'True'
            col.add('operator-swap', '%s -> %s' % (n.value, to), [col.replace(n, to)])


def _kinds(fn, module):
    """name -> (kind or None, line it was bound at) for parameters and assignments."""
    kinds = {}

    def bind(name, kind, line):
        if name not in kinds or kinds[name][0] is None:
            kinds[name] = (kind, line)
    for scope, is_fn in ((module, False), (fn, True)):
        if scope is None:
            continue
        if is_fn:
            args = scope.args
            for a in args.posonlyargs + args.args + args.kwonlyargs:
                bind(a.arg, kind_of_annotation(ast.unparse(a.annotation)) if a.annotation else None, scope.lineno)
            defaults = dict(zip([a.arg for a in args.args][-len(args.defaults):], args.defaults)) if args.defaults else {}
            for name, d in defaults.items():
                if kinds[name][0] is None:
                    kinds[name] = (kind_of_expr(d), scope.lineno)
        body = scope.body if is_fn else [s for s in scope.body if not isinstance(s, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))]
        for stmt in body:
            for n in ast.walk(stmt):
                if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)) and n is not scope:
                    continue
                if isinstance(n, ast.Assign):
                    for t in n.targets:
                        if isinstance(t, ast.Name):
                            bind(t.id, kind_of_expr(n.value), n.lineno)
                elif isinstance(n, ast.AnnAssign) and isinstance(n.target, ast.Name):
                    bind(n.target.id, kind_of_annotation(ast.unparse(n.annotation)), n.lineno)
                elif isinstance(n, (ast.For, ast.comprehension)) and isinstance(n.target, ast.Name):
                    is_range = isinstance(n.iter, ast.Call) and isinstance(n.iter.func, ast.Name) and n.iter.func.id == 'range'
                    bind(n.target.id, 'int' if is_range else None, getattr(n, 'lineno', n.target.lineno))
                elif isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store):
                    bind(n.id, None, n.lineno)
    return kinds


def variable_replace(src, col, nodes, limit=6):
    fn = src.function_at(col.line)
    kinds = _kinds(fn, src.tree)
    skip = set(dir(builtins)) | {'self', 'cls'}
    for n in ast.walk(src.tree):
        if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            skip.add(n.name)
        elif isinstance(n, (ast.Import, ast.ImportFrom)):
            skip.update((a.asname or a.name).split('.')[0] for a in n.names)
    for ref in nodes:
        if not isinstance(ref, ast.Name) or ref.id in skip or ref.id not in kinds:
            continue
        parent = getattr(ref, 'parent', None)
        if isinstance(parent, ast.Call) and parent.func is ref:
            continue
        kind = kinds[ref.id][0]
        others = sorted(
            (name for name, (k, line) in kinds.items() if name != ref.id and name not in skip and k == kind and line <= col.line),
            key=lambda name: (col.line - kinds[name][1], name),
        )[:limit]
        for name in others:
            col.add('variable-replace', '%s -> %s (both %s)' % (ref.id, name, kind or 'untyped'), [col.replace(ref, name)])


def missing_await(src, col, nodes):
    async_names = {n.name for n in ast.walk(src.tree) if isinstance(n, ast.AsyncFunctionDef)}
    for n in nodes:
        if not isinstance(n, ast.Call) or isinstance(getattr(n, 'parent', None), ast.Await):
            continue
        if not isinstance(enclosing(n, FUNCS), ast.AsyncFunctionDef):
            continue
        f = n.func
        name = f.id if isinstance(f, ast.Name) else f.attr if isinstance(f, ast.Attribute) else None
        known = src.seg(f) in ('asyncio.sleep', 'asyncio.wait_for', 'asyncio.gather')
        if name not in async_names and not known:
            continue
        parent = n.parent
        if isinstance(parent, ast.Call) and src.seg(parent.func) in ('asyncio.create_task', 'asyncio.ensure_future', 'asyncio.gather'):
            continue
        member = isinstance(parent, (ast.Attribute, ast.Subscript)) and parent.value is n
        start, end = src.span(n)
        edits = [(start, start, '(await '), (end, end, ')')] if member else [(start, start, 'await ')]
        col.add('missing-await', 'await %s' % src.seg(n), edits)
