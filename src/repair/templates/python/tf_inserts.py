"""Insert-statement families beyond `break` (issue 18): a statement the code is missing, built only
from the function's own names, literals and conditions.

- loop update: a `while` whose condition reads a name its body never assigns loops forever or
  not at all; `v -= 1` at the end of the body, or `v op= e` after the statement that computes
  `v op e` (`number %= num[i]` after `div = number // num[i]`);
- counter reset: a name initialised with a literal before a loop and bumped in one branch of an
  `if` in it is set back to that literal in the other branch (an `else` added when there is none);
- accumulator return: a function that builds a value (`acc = []` ... `acc.append(x)`) and falls
  off its end returns it;
- guard: `if <cond>: continue` (in a loop) or `return <implied>` before the ranked statement, with
  a condition the function already tests elsewhere.
"""
import ast

from tf_values import implied_values

LOOPS = (ast.For, ast.While, ast.AsyncFor)
FUNCS = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)
SHRINKING = {ast.Sub: '-=', ast.Mod: '%=', ast.FloorDiv: '//=', ast.RShift: '>>=', ast.Div: '/='}


def _stored(stmts):
    names = set()
    for s in stmts:
        for n in ast.walk(s):
            if isinstance(n, ast.Name) and isinstance(n.ctx, (ast.Store, ast.Del)):
                names.add(n.id)
    return names


def _after(src, col, stmt, code):
    """Edit inserting `code` on its own line after `stmt`, at its indentation; None when `stmt`
    shares its line with something else."""
    start, end = src.span(stmt)
    line_end = src.text.find('\n', end)
    line_end = len(src.text) if line_end < 0 else line_end
    rest = src.text[end:line_end].strip()
    if rest not in ('', ';') and not rest.startswith('#'):
        return None
    if src.text[src.line_start(start):start].strip():
        return None
    return (line_end, line_end, src.eol() + src.indent_at(start) + code)


def _enclosing(node, kinds):
    p = getattr(node, 'parent', None)
    while p is not None and not isinstance(p, kinds):
        if isinstance(p, FUNCS):
            return None
        p = getattr(p, 'parent', None)
    return p


def _whiles(nodes):
    out = []
    for n in nodes:
        w = n if isinstance(n, ast.While) else _enclosing(n, (ast.While,))
        if isinstance(w, ast.While) and w not in out:
            out.append(w)
    return out


def loop_update(src, col, nodes):
    for w in _whiles(nodes):
        names = sorted({x.id for x in ast.walk(w.test) if isinstance(x, ast.Name)} - _stored(w.body))
        for v in names:
            edit = _after(src, col, w.body[-1], '%s -= 1' % v)
            if edit:
                col.add('insert-statement', '%s -= 1 at the end of the loop on %s' % (v, v), [edit])
            seen = set()
            for stmt in w.body:
                for b in ast.walk(stmt):
                    if isinstance(b, ast.BinOp) and type(b.op) in SHRINKING and isinstance(b.left, ast.Name) and b.left.id == v:
                        code = '%s %s %s' % (v, SHRINKING[type(b.op)], src.seg(b.right))
                        if code in seen:
                            continue
                        seen.add(code)
                        edit = _after(src, col, stmt, code)
                        if edit:
                            col.add('insert-statement', '%s after %s' % (code, src.seg(stmt).splitlines()[0]), [edit])


def _literal_inits(fn, before_line):
    """Names assigned a literal (number, string, empty collection) in `fn` before `before_line`."""
    out = {}
    for n in ast.walk(fn):
        if isinstance(n, ast.Assign) and len(n.targets) == 1 and isinstance(n.targets[0], ast.Name) and n.lineno < before_line:
            v = n.value
            if isinstance(v, ast.Constant) and not isinstance(v.value, bool) or isinstance(v, (ast.List, ast.Dict)) and not getattr(v, 'elts', getattr(v, 'keys', None)):
                out.setdefault(n.targets[0].id, v)
    return out


def counter_reset(src, col, nodes):
    for n in nodes:
        if not isinstance(n, ast.If) or src.seg(n).startswith('elif'):
            continue
        loop = _enclosing(n, LOOPS)
        fn = src.function_at(n.lineno)
        if loop is None or fn is None:
            continue
        inits = _literal_inits(fn, loop.lineno)
        bumped = sorted({s.target.id for s in n.body if isinstance(s, ast.AugAssign) and isinstance(s.target, ast.Name)} & set(inits))
        for v in bumped:
            code = '%s = %s' % (v, src.seg(inits[v]))
            if not n.orelse:
                if n.body[-1].lineno == n.lineno:
                    continue
                start, end = src.span(n)
                line_end = src.text.find('\n', end)
                line_end = len(src.text) if line_end < 0 else line_end
                indent = src.indent_at(start)
                text = src.eol() + indent + 'else:' + src.eol() + indent + src.indent_unit() + code
                col.add('insert-statement', 'else: %s' % code, [(line_end, line_end, text)])
            elif v not in _stored(n.orelse) and not (len(n.orelse) == 1 and isinstance(n.orelse[0], ast.If)):
                edit = _after(src, col, n.orelse[-1], code)
                if edit:
                    col.add('insert-statement', '%s in the else branch' % code, [edit])


def accumulator_return(src, col, nodes):
    fn = src.function_at(col.line)
    if fn is None or not fn.body or isinstance(fn.body[-1], (ast.Return, ast.Raise)):
        return
    if any(isinstance(n, ast.Return) and n.value is not None for n in ast.walk(fn)):
        return  # it returns values already: falling off the end may be meant
    inits = {k: v for k, v in _literal_inits(fn, 10 ** 9).items() if any(isinstance(s, ast.Assign) and s.targets[0].__dict__.get('id') == k for s in fn.body if isinstance(s, ast.Assign))}
    updated = set()
    for n in ast.walk(fn):
        if isinstance(n, ast.AugAssign) and isinstance(n.target, ast.Name):
            updated.add(n.target.id)
        elif isinstance(n, ast.Call) and isinstance(n.func, ast.Attribute) and isinstance(n.func.value, ast.Name) and n.func.attr in ('append', 'extend', 'add', 'update', 'insert'):
            updated.add(n.func.value.id)
    on_line = {x.id for x in nodes if isinstance(x, ast.Name)}
    for v in sorted(set(inits) & updated & on_line):
        edit = _after(src, col, fn.body[-1], 'return %s' % v)
        if edit:
            col.add('insert-statement', 'return %s at the end of %s' % (v, fn.name), [edit])


def _bound_before(fn, line):
    names = {a.arg for a in fn.args.args + fn.args.kwonlyargs}
    for n in ast.walk(fn):
        if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store) and n.lineno < line:
            names.add(n.id)
    return names


def guard(src, col, nodes, limit=2):
    stmts = [n for n in nodes if isinstance(n, ast.stmt) and n.lineno == col.line and not isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))]
    fn = src.function_at(col.line)
    if not stmts or fn is None:
        return
    stmt = stmts[0]
    if src.text[src.line_start(src.span(stmt)[0]):src.span(stmt)[0]].strip():
        return
    bound = _bound_before(fn, col.line)
    around = set()
    p = getattr(stmt, 'parent', None)
    while p is not None and p is not fn:
        if isinstance(p, ast.If):
            around.add(src.seg(p.test))
        p = getattr(p, 'parent', None)
    conds = []
    # Conditions of the function's own `if` statements whose names are all bound here (a `while`
    # condition as a guard would skip the loop's own update and hang).
    for n in ast.walk(fn):
        if isinstance(n, ast.If) and n.lineno != col.line:
            text = src.seg(n.test)
            used = {x.id for x in ast.walk(n.test) if isinstance(x, ast.Name)}
            if '\n' not in text and text not in conds and text not in around and len(text) <= 60 and used <= bound | set(dir(__builtins__)):
                conds.append(text)
    loop = _enclosing(stmt, LOOPS)
    returns_value = fn.returns is not None or any(isinstance(r, ast.Return) and r.value is not None for r in ast.walk(fn))
    values = implied_values(src, fn)[:1] if returns_value else ['']
    for cond in conds[:limit]:
        if isinstance(loop, (ast.For, ast.AsyncFor)):
            col.add('insert-guard', 'if %s: continue, before line %d' % (cond, col.line), [col.insert_before(stmt, [(0, 'if %s:' % cond), (1, 'continue')])])
        for value in values:
            col.add('insert-guard', 'if %s: return %s, before line %d' % (cond, value, col.line), [col.guard(stmt, cond, value)])
