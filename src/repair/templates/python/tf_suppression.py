"""Suppression facts for Python (src/repair/guards/ judges them; see its types.ts).

Compares the crash site's function before and after a patch: calls by callee, new handlers
that swallow around the crash site (try/except that only passes/returns/logs, `with
suppress(...)`), the first unconditional exit, and new guards whose condition is always true.
"""
import ast
import re

LOGGING = re.compile(r'^(print|logging\.\w+|logger\.\w+|log\.\w+|self\.log(ger)?\.\w+|warnings\.warn)$')


def norm(text):
    return re.sub(r'\s+', '', text)


def function_paths(tree):
    out, count = {}, {}

    def visit(node, prefix):
        for child in ast.iter_child_nodes(node):
            nxt = prefix
            if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda)):
                own = getattr(child, 'name', '<lambda>')
                nxt = prefix + '.' + own if prefix else own
                if not isinstance(child, ast.ClassDef):
                    count[nxt] = count.get(nxt, 0) + 1
                    out['%s#%d' % (nxt, count[nxt])] = child
            visit(child, nxt)
    visit(tree, '')
    return out


def crash_path(paths, line, function):
    around = [(p, fn) for p, fn in paths.items() if fn.lineno <= line <= fn.end_lineno]
    around.sort(key=lambda x: -x[1].lineno)
    wanted = (function or '').split('.')[-1]
    for p, fn in around:
        if wanted and p.split('#')[0].split('.')[-1] == wanted:
            return p
    return around[0][0] if around else None


def calls(scope):
    return [n for n in ast.walk(scope) if isinstance(n, ast.Call)]


def count_callees(scope):
    out = {}
    for c in calls(scope):
        k = norm(ast.unparse(c.func))
        out[k] = out.get(k, 0) + 1
    return out


def swallow_kind(body):
    returns = logs = False
    for s in body:
        if isinstance(s, ast.Pass) or (isinstance(s, ast.Expr) and isinstance(s.value, ast.Constant)):
            continue
        if isinstance(s, (ast.Return, ast.Continue, ast.Break)):
            returns = True
        elif isinstance(s, ast.Expr) and isinstance(s.value, ast.Call) and LOGGING.match(norm(ast.unparse(s.value.func))):
            logs = True
        else:
            return None
    if logs and returns:
        return 'only logs and returns'
    return 'only logs' if logs else 'only returns' if returns else 'only passes'


def contains(stmts, crash_calls, crash_text):
    text = norm(''.join(ast.unparse(s) for s in stmts))
    if crash_text and crash_text in text:
        return True
    return any(norm(ast.unparse(c.func)) in crash_calls for s in stmts for c in calls(s))


BROAD = {'Exception', 'BaseException'}


def is_broad(handler):
    """A bare except, or one naming Exception/BaseException (alone or in a tuple)."""
    if handler.type is None:
        return True
    names = handler.type.elts if isinstance(handler.type, ast.Tuple) else [handler.type]
    return any(norm(ast.unparse(n)).split('.')[-1] in BROAD for n in names)


def swallowing(scope, crash_calls, crash_text):
    """Handlers around the crash site that hide it. Passing or only logging hides any exception;
    only returning hides it when the handler is broad: `except ValueError: return None` for a
    parse that may fail is a fallback for one expected error, `except Exception: return None`
    hides every bug behind the crash site."""
    out = []
    for n in ast.walk(scope):
        if isinstance(n, ast.Try) and n.handlers and contains(n.body, crash_calls, crash_text):
            for h in n.handlers:
                kind = swallow_kind(h.body)
                if kind and ('returns' not in kind or is_broad(h)):
                    out.append({'line': n.lineno, 'handler': kind + (' (a broad except)' if is_broad(h) else '')})
                    break
        if isinstance(n, (ast.With, ast.AsyncWith)) and contains(n.body, crash_calls, crash_text):
            for item in n.items:
                if re.search(r'(^|\.)suppress$', norm(ast.unparse(getattr(item.context_expr, 'func', item.context_expr)))):
                    out.append({'line': n.lineno, 'handler': 'with suppress(...)'})
    return out


def body_of(scope):
    body = list(scope.body) if isinstance(scope, (ast.Module, ast.FunctionDef, ast.AsyncFunctionDef)) else []
    if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant) and isinstance(body[0].value.value, str):
        body = body[1:]
    return body


def first_exit(body):
    for i, s in enumerate(body):
        if isinstance(s, (ast.Return, ast.Raise)):
            return i
    return -1


def constant_truth(e):
    if isinstance(e, ast.Constant):
        return bool(e.value)
    if isinstance(e, (ast.List, ast.Tuple, ast.Dict, ast.Set)):
        return bool(getattr(e, 'elts', None) or getattr(e, 'keys', None))
    if isinstance(e, ast.UnaryOp) and isinstance(e.op, ast.Not):
        inner = constant_truth(e.operand)
        return None if inner is None else not inner
    if isinstance(e, ast.BoolOp):
        vals = [constant_truth(v) for v in e.values]
        if isinstance(e.op, ast.Or):
            return True if True in vals else False if all(v is False for v in vals) else None
        return False if False in vals else True if all(v is True for v in vals) else None
    return None


COMPLEMENT = {ast.Lt: ast.GtE, ast.GtE: ast.Lt, ast.Gt: ast.LtE, ast.LtE: ast.Gt, ast.Eq: ast.NotEq,
              ast.NotEq: ast.Eq, ast.Is: ast.IsNot, ast.IsNot: ast.Is, ast.In: ast.NotIn, ast.NotIn: ast.In}


def complementary(a, b):
    for x, y in ((a, b), (b, a)):
        if isinstance(x, ast.UnaryOp) and isinstance(x.op, ast.Not) and ast.dump(x.operand) == ast.dump(y):
            return True
    if isinstance(a, ast.Compare) and isinstance(b, ast.Compare) and len(a.ops) == len(b.ops) == 1:
        return COMPLEMENT.get(type(a.ops[0])) is type(b.ops[0]) and ast.dump(a.left) == ast.dump(b.left) and ast.dump(a.comparators[0]) == ast.dump(b.comparators[0])
    return False


def always_true(cond):
    if constant_truth(cond) is True:
        return True
    parts = cond.values if isinstance(cond, ast.BoolOp) and isinstance(cond.op, ast.Or) else [cond]
    for p in parts:
        if constant_truth(p) is True:
            return True
        if isinstance(p, ast.Compare) and len(p.ops) == 1:
            op, right = p.ops[0], p.comparators[0]
            if isinstance(op, (ast.Eq, ast.LtE, ast.GtE, ast.Is)) and ast.dump(p.left) == ast.dump(right):
                return True
            is_len = isinstance(p.left, ast.Call) and isinstance(p.left.func, ast.Name) and p.left.func.id == 'len'
            if is_len and isinstance(op, ast.GtE) and isinstance(right, ast.Constant) and right.value == 0:
                return True
    return any(complementary(a, b) for i, a in enumerate(parts) for b in parts[i + 1:])


def always_true_guards(scope):
    out = []
    for n in ast.walk(scope):
        if isinstance(n, ast.If) and n.body and isinstance(n.body[-1], (ast.Return, ast.Raise)) and always_true(n.test):
            out.append({'line': n.lineno, 'condition': ast.unparse(n.test)})
    return out


def facts(request):
    a, b = ast.parse(request['before']), ast.parse(request['after'])
    line = request['line']
    paths_a, paths_b = function_paths(a), function_paths(b)
    path = crash_path(paths_a, line, request.get('function'))
    scope_a = paths_a[path] if path else a
    scope_b = paths_b.get(path) if path else b
    crash_calls = sorted({norm(ast.unparse(c.func)) for c in calls(scope_a) if c.lineno == line})
    # The crash line's statement, unparsed like the try bodies it is looked for in.
    on_line = [n for n in ast.walk(scope_a) if isinstance(n, ast.stmt) and n.lineno == line and n is not scope_a]
    text = norm(ast.unparse(on_line[0])).split(':', 1)[0] if on_line else ''
    text = re.sub(r'^(return|await)', '', text)[:40]
    crash_text = text if len(text) >= 4 else ''
    before_swallow = len(swallowing(scope_a, set(crash_calls), crash_text))
    after_swallow = swallowing(scope_b, set(crash_calls), crash_text) if scope_b is not None else []
    guards_before = {norm(g['condition']) for g in always_true_guards(scope_a)}
    return {
        'found': {'before': True, 'after': scope_b is not None},
        'functionName': path[:-2] if path and path.endswith('#1') else path or '<module>',
        'crashCalls': crash_calls,
        'calls': {'before': count_callees(scope_a), 'after': count_callees(scope_b) if scope_b is not None else {}},
        'swallowing': after_swallow if len(after_swallow) > before_swallow else [],
        'firstExit': {'before': first_exit(body_of(scope_a)), 'after': first_exit(body_of(scope_b)) if scope_b is not None else -1},
        'statements': {'before': len(body_of(scope_a)), 'after': len(body_of(scope_b)) if scope_b is not None else 0},
        'alwaysTrueGuards': [g for g in always_true_guards(scope_b) if norm(g['condition']) not in guards_before] if scope_b is not None else [],
    }
