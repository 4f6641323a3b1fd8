"""The wider template families (issue 18): wrap an expression, swap operands or arguments,
arithmetic and compound-assignment operator swaps, drop an operand, change a literal, call a
sibling function, flip a variable's booleans, replace a name by an expression of the function.

Every value comes from the code's own vocabulary: literals and expressions of the enclosing
function, the sibling table below (standard-library pairs), never an invented name.
"""
import ast

from tf_mutations import _op_span

BIN_TEXT = {ast.Add: '+', ast.Sub: '-', ast.Mult: '*', ast.Div: '/', ast.FloorDiv: '//', ast.Mod: '%', ast.Pow: '**',
            ast.BitXor: '^', ast.BitAnd: '&', ast.BitOr: '|', ast.LShift: '<<', ast.RShift: '>>'}
ARITH_SWAPS = {'+': ['-'], '-': ['+'], '*': ['/', '**'], '/': ['*', '//'], '//': ['/'], '%': ['//'], '**': ['*'],
               '^': ['&', '|'], '&': ['|', '^'], '|': ['&', '^'], '<<': ['>>'], '>>': ['<<']}
NON_COMMUTATIVE = (ast.Sub, ast.Div, ast.FloorDiv, ast.Mod, ast.Pow)
# Methods and functions that take the same arguments and differ in one decision.
SIBLINGS = {
    'lower': ['upper', 'swapcase'], 'upper': ['lower', 'swapcase'], 'swapcase': ['lower', 'upper'],
    'title': ['capitalize'], 'capitalize': ['title'],
    'floor': ['ceil'], 'ceil': ['floor'],
    'min': ['max'], 'max': ['min'], 'any': ['all'], 'all': ['any'],
    'append': ['extend'], 'extend': ['append'],
    'startswith': ['endswith'], 'endswith': ['startswith'],
    'find': ['rfind'], 'rfind': ['find'], 'index': ['rindex'], 'rindex': ['index'],
    'lstrip': ['rstrip', 'strip'], 'rstrip': ['lstrip', 'strip'], 'strip': ['lstrip', 'rstrip'],
    'ljust': ['rjust'], 'rjust': ['ljust'], 'split': ['rsplit'], 'rsplit': ['split'],
    'sorted': ['reversed'], 'isdigit': ['isalpha'], 'isalpha': ['isdigit'],
    'pop': ['popleft'], 'popleft': ['pop'], 'appendleft': ['append'],
}
# Builtins without side effects whose calls may stand in for a name.
PURE = {'len', 'sum', 'min', 'max', 'abs', 'sorted', 'int', 'float', 'str', 'round'}
COMPOUND = (ast.BinOp, ast.BoolOp, ast.Compare, ast.IfExp, ast.Lambda, ast.UnaryOp)


def _paren(src, node):
    text = src.seg(node)
    return '(%s)' % text if isinstance(node, COMPOUND) else text


def _binops(nodes):
    return [n for n in nodes if isinstance(n, ast.BinOp) and type(n.op) in BIN_TEXT]


def _around(src, node, fn):
    """`fn(` before the node and `)` after it: two insertions, so the patch's size is what it
    adds and a wrap is not outranked by a same-size name swap."""
    start, end = src.span(node)
    return [(start, start, fn + '('), (end, end, ')')]


def wrap(src, col, nodes):
    """abs() around a difference; int() around a true division (a cast the contract implies)."""
    to_float = _returns_float(src, col.line)
    for n in _binops(nodes):
        if isinstance(getattr(n, 'parent', None), ast.Call) and getattr(n.parent.func, 'id', None) in ('abs', 'int'):
            continue
        if isinstance(n.op, ast.Sub):
            col.add('wrap', 'abs(%s)' % src.seg(n), _around(src, n, 'abs'))
        elif isinstance(n.op, ast.Div) and not to_float:
            col.add('wrap', 'int(%s)' % src.seg(n), _around(src, n, 'int'))


def swap_operands(src, col, nodes):
    """Operands of a non-commutative operator, the two arguments of a call, a pair's elements."""
    for n in nodes:
        if isinstance(n, ast.BinOp) and isinstance(n.op, NON_COMMUTATIVE):
            op = BIN_TEXT[type(n.op)]
            text = '%s %s %s' % (_paren(src, n.right), op, _paren(src, n.left))
            col.add('swap-operands', '%s -> %s' % (src.seg(n), text), [col.replace(n, text)])
        elif isinstance(n, ast.Call) and len(n.args) == 2 and not n.keywords and not any(isinstance(a, ast.Starred) for a in n.args):
            a, b = n.args
            if src.seg(a) != src.seg(b):
                col.add('swap-operands', 'swap the arguments of %s' % src.seg(n.func), [col.replace(a, src.seg(b)), col.replace(b, src.seg(a))])
        elif isinstance(n, (ast.List, ast.Tuple)) and len(n.elts) == 2 and not isinstance(getattr(n, 'ctx', None), ast.Store):
            a, b = n.elts
            if src.seg(a) != src.seg(b):
                col.add('swap-operands', 'swap the elements of %s' % src.seg(n), [col.replace(a, src.seg(b)), col.replace(b, src.seg(a))])


def _returns_float(src, line):
    """The enclosing function declares `-> float`: the contract rules out truncating a division."""
    fn = src.function_at(line)
    return fn is not None and fn.returns is not None and src.seg(fn.returns) == 'float'


def arithmetic_swap(src, col, nodes):
    """`+` <-> `-`, `*` -> `/`/`**`, ..., and the same for compound assignments (`+=` -> `-=`, `=`)."""
    truncating = {'//'} if _returns_float(src, col.line) else set()
    for n in _binops(nodes):
        text = BIN_TEXT[type(n.op)]
        span = _op_span(src, n.left, n.right, text)
        if not span:
            continue
        for to in [t for t in ARITH_SWAPS.get(text, []) if t not in truncating]:
            col.add('arithmetic-swap', '%s -> %s in %s' % (text, to, src.seg(n)), [(span[0], span[1], to)])
    for n in nodes:
        if not isinstance(n, ast.AugAssign) or type(n.op) not in BIN_TEXT:
            continue
        text = BIN_TEXT[type(n.op)] + '='
        span = _op_span(src, n.target, n.value, text)
        if not span:
            continue
        for to in [t + '=' for t in ARITH_SWAPS.get(text[:-1], [])] + ['=']:
            col.add('arithmetic-swap', '%s -> %s in %s' % (text, to, src.seg(n)), [(span[0], span[1], to)])


def _unneeded_parens(src, node, text):
    """`text` without the parentheses `_paren` added when the tree is the same without them."""
    if not (text.startswith('(') and text.endswith(')')):
        return text
    start, end = src.span(node)
    try:
        same = ast.dump(ast.parse(src.text[:start] + text + src.text[end:])) == ast.dump(ast.parse(src.text[:start] + text[1:-1] + src.text[end:]))
    except SyntaxError:
        return text
    return text[1:-1] if same else text


def drop_operand(src, col, nodes):
    """Excess logic: `a op b` -> `a` or -> `b`."""
    for n in _binops(nodes):
        for keep, which in ((n.left, 'right'), (n.right, 'left')):
            text = _unneeded_parens(src, n, _paren(src, keep)) if isinstance(getattr(n, 'parent', None), (ast.BinOp, ast.UnaryOp)) else src.seg(keep)
            col.add('drop-operand', 'drop the %s operand of %s' % (which, src.seg(n)), [col.replace(n, text)])


def _function_literals(fn):
    ints, floats, strs = set(), set(), set()
    for n in ast.walk(fn) if fn is not None else []:
        if isinstance(n, ast.Constant) and not isinstance(n.value, bool):
            if isinstance(n.value, int):
                ints.add(n.value)
            elif isinstance(n.value, float):
                floats.add(n.value)
            elif isinstance(n.value, str) and len(n.value) <= 20 and n is not getattr(getattr(fn, 'body', [None])[0], 'value', None):
                strs.add(n.value)
    return ints, floats, strs


def _outermost_function(src, line):
    """The top-level function around `line`: a nested helper shares its vocabulary (`range(2, n)`)."""
    fn = src.function_at(line)
    outer = fn
    while fn is not None:
        fn = getattr(fn, 'parent', None)
        if isinstance(fn, (ast.FunctionDef, ast.AsyncFunctionDef)):
            outer = fn
    return outer


def _in_table(n):
    """An element of a literal list/tuple/set of more than three elements: data, not logic."""
    parent = getattr(n, 'parent', None)
    return isinstance(parent, (ast.List, ast.Tuple, ast.Set)) and len(parent.elts) > 3


def _nearest(options, v, limit=3):
    return sorted(sorted(o for o in options if o != v), key=lambda o: abs(o - v))[:limit]


def literal_change(src, col, nodes):
    """A literal -> another of the function's literals of its type, `x.0` -> its reciprocal or
    double/half, `' '` <-> `''`, `[]` <-> `[[]]`."""
    fn = _outermost_function(src, col.line)
    ints, floats, strs = _function_literals(fn)
    for n in nodes:
        if isinstance(n, ast.Constant) and not isinstance(n.value, bool) and not _in_table(n):
            v = n.value
            if isinstance(v, int) and not isinstance(getattr(n, 'parent', None), ast.UnaryOp):
                for other in _nearest([o for o in ints if abs(o - v) > 1], v):
                    col.add('literal-change', '%d -> %d' % (v, other), [col.replace(n, str(other))])
            elif isinstance(v, float) and v != 0:
                options = {1 / v, v * 2, v / 2} | floats
                for other in _nearest(options, v, 4):
                    col.add('literal-change', '%r -> %r' % (v, other), [col.replace(n, repr(other))])
            elif isinstance(v, str) and n is not getattr(getattr(fn, 'body', [None])[0], 'value', None):
                options = ({''} if v == ' ' else {' '} if v == '' else set()) | {s for s in strs if len(s) <= 3}
                for other in sorted(o for o in options if o != v)[:3]:
                    col.add('literal-change', '%r -> %r' % (v, other), [col.replace(n, repr(other))])
        elif isinstance(n, ast.List) and not n.elts and isinstance(getattr(n, 'ctx', None), ast.Load):
            col.add('literal-change', '[] -> [[]]', [col.replace(n, '[[]]')])
        elif isinstance(n, ast.List) and len(n.elts) == 1 and isinstance(n.elts[0], ast.List) and not n.elts[0].elts:
            col.add('literal-change', '[[]] -> []', [col.replace(n, '[]')])


def sibling_call(src, col, nodes):
    """`lower` -> `swapcase`, `floor` -> `ceil`, `append` -> `extend`, ... (same arguments)."""
    for n in nodes:
        if not isinstance(n, ast.Call):
            continue
        f = n.func
        if isinstance(f, ast.Attribute):
            name, start = f.attr, src.span(f)[1] - len(f.attr)
            end = src.span(f)[1]
        elif isinstance(f, ast.Name):
            name, (start, end) = f.id, src.span(f)
        else:
            continue
        if src.text[start:end] != name:
            continue
        for to in SIBLINGS.get(name, []):
            col.add('sibling-call', '%s -> %s in %s' % (name, to, src.seg(n)), [(start, end, to)])


def _bool_groups(fn):
    """Boolean literals the function returns, and those assigned to each name: flipped together."""
    groups = {}
    for n in ast.walk(fn):
        if isinstance(n, ast.Return) and isinstance(n.value, ast.Constant) and isinstance(n.value.value, bool):
            groups.setdefault('the returned booleans', []).append(n.value)
        elif isinstance(n, ast.Assign) and len(n.targets) == 1 and isinstance(n.targets[0], ast.Name) \
                and isinstance(n.value, ast.Constant) and isinstance(n.value.value, bool):
            groups.setdefault('the booleans assigned to %s' % n.targets[0].id, []).append(n.value)
    return groups


def flip_booleans(src, col, nodes):
    """A decision inverted everywhere: every boolean the function returns (or assigns to one name)."""
    fn = src.function_at(col.line)
    if fn is None:
        return
    on_line = {id(n) for n in nodes}
    for what, consts in sorted(_bool_groups(fn).items()):
        if len(consts) < 2 or not any(id(c) in on_line for c in consts):
            continue
        edits = [col.replace(c, 'False' if c.value else 'True') for c in consts]
        col.add('flip-booleans', 'flip %s' % what, edits)


def expression_replace(src, col, nodes, limit=4):
    """A name -> a call or attribute expression the function already computes (`mean` -> `len(xs)`)."""
    fn = src.function_at(col.line)
    if fn is None:
        return
    exprs = []
    for n in ast.walk(fn):
        if not isinstance(n, (ast.Call, ast.Attribute)) or getattr(n, 'lineno', 0) == col.line:
            continue
        parent = getattr(n, 'parent', None)
        if isinstance(parent, ast.Call) and parent.func is n or isinstance(parent, ast.Attribute):
            continue
        if isinstance(n, ast.Call) and (not n.args or getattr(n.func, 'id', None) not in PURE):
            continue
        text = src.seg(n)
        if len(text) <= 30 and '\n' not in text and text not in exprs:
            exprs.append(text)
    for ref in nodes:
        if not isinstance(ref, ast.Name) or not isinstance(ref.ctx, ast.Load):
            continue
        parent = getattr(ref, 'parent', None)
        if isinstance(parent, ast.Call) and parent.func is ref or isinstance(parent, ast.Attribute) or ref.lineno == fn.lineno:
            continue
        for text in [e for e in exprs if ref.id not in e][:limit]:
            col.add('expression-replace', '%s -> %s' % (ref.id, text), [col.replace(ref, text)])


def _exits(stmts):
    return any(isinstance(s, (ast.Break, ast.Return, ast.Continue, ast.Raise)) for s in stmts)


def insert_statement(src, col, nodes):
    """A missing `break`: the first match ends the loop (`if found: result = x` + `break`)."""
    for n in nodes:
        if not isinstance(n, ast.If) or _exits(n.body):
            continue
        loop = getattr(n, 'parent', None)
        while loop is not None and not isinstance(loop, (ast.For, ast.While, ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
            loop = getattr(loop, 'parent', None)
        if not isinstance(loop, (ast.For, ast.While)):
            continue
        last = n.body[-1]
        if last.lineno == n.lineno:
            continue  # `if x: y` on one line
        start, end = src.span(last)
        line_end = src.text.find('\n', end)
        line_end = len(src.text) if line_end < 0 else line_end
        if src.text[end:line_end].strip() not in ('', ';') and not src.text[end:line_end].strip().startswith('#'):
            continue
        col.add('insert-statement', 'break after %s' % src.seg(last).splitlines()[0],
                [(line_end, line_end, src.eol() + src.indent_at(start) + 'break')])
