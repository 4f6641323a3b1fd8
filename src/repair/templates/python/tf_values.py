"""What a function's docstring, annotation and other returns say about its values.

Mirrors src/repair/templates/doc-hints.ts and js/implied-value.ts for Python: the early-return
value a guard should use, a documented fallback, and documented ranges for the clamp template.
"""
import ast
import re

DEFAULT_OF = {
    'int': '0', 'float': '0.0', 'str': "''", 'bool': 'False', 'list': '[]', 'dict': '{}',
    'set': 'set()', 'tuple': '()', 'none': 'None', 'bare': '',
}

NUM = r'(-?\d+(?:\.\d+)?)'
RANGE_PATTERNS = [
    re.compile(r'between\s+%s\s+and\s+%s' % (NUM, NUM), re.I),
    re.compile(r'from\s+%s\s+to\s+%s' % (NUM, NUM), re.I),
    re.compile(r'\[\s*%s\s*,\s*%s\s*\]' % (NUM, NUM)),
    re.compile(r'(?:range|within|in)\s+%s\s*(?:\.\.|-|–|to)\s*%s' % (NUM, NUM), re.I),
    re.compile(r'%s\s*<=?\s*\w+\s*<=?\s*%s' % (NUM, NUM)),
]

VALUE = r"""[`'"]?(None|null|NaN|-?\d+(?:\.\d+)?|False|True|false|true|''|""|\[\]|\{\}|empty (?:string|str|array|list|object|dict|map)|zero)[`'"]?(?=[\s.,;:)]|$)"""
FALLBACK = re.compile(r'(?:defaults? to|falls? back to|otherwise(?: returns?)?)\s+' + VALUE, re.I)
OR_EMPTY = re.compile(r"""\bor\s+(?:an?\s+)?[`'"]?(None|null|''|""|\[\]|\{\}|empty (?:string|str|array|list|object|dict|map))[`'"]?(?=[\s.,;:)]|$)""", re.I)
RETURNS_WHEN = re.compile(
    r'(?:returns?|\bor)\s+' + VALUE + r'\s+(?:when|if|for|on)\b[^.\n]*?\b(?:empty|null|none|missing|no|invalid|zero|nothing|not (?:found|given|set|a number))\b',
    re.I,
)
WORDS = [(re.compile(r'empty (?:string|str)', re.I), "''"), (re.compile(r'empty (?:array|list)', re.I), '[]'),
         (re.compile(r'empty (?:object|dict|map)', re.I), '{}'), (re.compile(r'zero', re.I), '0')]


def docstring(fn):
    return (ast.get_docstring(fn) or '') if fn is not None else ''


def documented_default(doc):
    text = re.sub(r'\s+', ' ', doc)
    m = FALLBACK.search(text) or OR_EMPTY.search(text) or RETURNS_WHEN.search(text)
    if not m:
        return None
    word = m.group(1)
    for pattern, value in WORDS:
        if pattern.fullmatch(word):
            return value
    return {'null': 'None', 'true': 'True', 'false': 'False', '""': "''", 'NaN': "float('nan')"}.get(word, word)


def _range_in(text):
    for pattern in RANGE_PATTERNS:
        m = pattern.search(text)
        if m and float(m.group(1)) < float(m.group(2)):
            return m.group(1), m.group(2)
    return None


def documented_ranges(doc, params):
    """[(lo, hi, param-or-None)]: per parameter line (`x: ...`, `:param x:`), then the rest."""
    out, rest = [], []
    for raw in doc.split('\n'):
        m = re.match(r'\s*(?::param\s+(?:\w+\s+)?)?(\w+)\s*(?:\([^)]*\))?\s*:', raw)
        if m and m.group(1) in params:
            r = _range_in(raw)
            if r:
                out.append((r[0], r[1], m.group(1)))
                continue
        rest.append(raw)
    r = _range_in(' '.join(rest))
    if r:
        out.append((r[0], r[1], None))
    return out


def kind_of_annotation(text):
    t = text.strip().strip('"\'')
    if re.search(r'Optional\[|\|\s*None|None\s*\|', t):
        return 'none'
    if t == 'None':
        return 'bare'
    base = re.split(r'[\[|]', t)[0].strip().lower()
    return {'int': 'int', 'float': 'float', 'str': 'str', 'bool': 'bool', 'list': 'list', 'sequence': 'list',
            'dict': 'dict', 'mapping': 'dict', 'set': 'set', 'tuple': 'tuple'}.get(base)


def kind_of_expr(e):
    if e is None:
        return 'bare'
    if isinstance(e, ast.Constant):
        v = e.value
        if v is None:
            return 'none'
        if isinstance(v, bool):
            return 'bool'
        return {int: 'int', float: 'float', str: 'str'}.get(type(v))
    if isinstance(e, (ast.List, ast.ListComp)):
        return 'list'
    if isinstance(e, (ast.Dict, ast.DictComp)):
        return 'dict'
    if isinstance(e, (ast.Set, ast.SetComp)):
        return 'set'
    if isinstance(e, (ast.Compare,)) or (isinstance(e, ast.UnaryOp) and isinstance(e.op, ast.Not)):
        return 'bool'
    if isinstance(e, ast.JoinedStr):
        return 'str'
    if isinstance(e, ast.UnaryOp) and isinstance(e.op, ast.USub):
        return kind_of_expr(e.operand)
    if isinstance(e, ast.BinOp):
        l, r = kind_of_expr(e.left), kind_of_expr(e.right)
        if isinstance(e.op, ast.Div) and {l, r} <= {'int', 'float'}:
            return 'float'
        if l == r and l in ('int', 'float', 'str', 'list'):
            return l
        if {l, r} == {'int', 'float'}:
            return 'float'
    if isinstance(e, ast.Call) and isinstance(e.func, ast.Name):
        return {'len': 'int', 'int': 'int', 'sum': 'int', 'round': 'int', 'float': 'float', 'str': 'str',
                'bool': 'bool', 'list': 'list', 'sorted': 'list', 'dict': 'dict', 'set': 'set', 'abs': None}.get(e.func.id)
    if isinstance(e, ast.Call) and isinstance(e.func, ast.Attribute) and e.func.attr in ('join', 'strip', 'lower', 'upper', 'format'):
        return 'str'
    return None


def own_returns(fn):
    out = []

    def visit(n):
        for child in ast.iter_child_nodes(n):
            if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)):
                continue
            if isinstance(child, ast.Return):
                out.append(child)
            visit(child)
    visit(fn)
    return out


def implied_values(src, fn):
    """Early-return values for a guard in `fn`, best first; '' means a bare `return`."""
    out = []

    def add(v):
        if v is not None and v not in out:
            out.append(v)
    add(documented_default(docstring(fn)))
    if fn.returns is not None:
        k = kind_of_annotation(src.seg(fn.returns))
        add(DEFAULT_OF.get(k) if k else None)
    returns = own_returns(fn)
    kinds = [kind_of_expr(r.value) for r in returns]
    if 'none' in kinds:
        add('None')
    for k in kinds:
        if k and k != 'bare':
            add(DEFAULT_OF[k])
    if not returns or all(r.value is None for r in returns):
        add('')
    elif not out:
        add('None')
    return out
