"""Shared helpers of the Python template helper: source positions and minimal edits.

ast gives UTF-8 byte columns; tokenize and str slicing use code points; the TypeScript side
uses UTF-16 offsets. Everything here works in code-point offsets into the whole file and
converts to UTF-16 only when a candidate leaves (see Source.utf16).
"""
import ast
import io
import tokenize


class Source:
    def __init__(self, text):
        self.text = text
        self.lines = text.splitlines(keepends=True)
        self.starts = [0]
        for line in self.lines:
            self.starts.append(self.starts[-1] + len(line))
        self.tree = ast.parse(text)
        for node in ast.walk(self.tree):
            for child in ast.iter_child_nodes(node):
                child.parent = node
        self._tokens = None
        self._astral = any(ord(c) > 0xFFFF for c in text)

    # -- positions -------------------------------------------------------
    def offset(self, lineno, col_bytes):
        """Code-point offset of an ast (line, UTF-8 byte column) position."""
        line = self.lines[lineno - 1] if lineno - 1 < len(self.lines) else ''
        return self.starts[lineno - 1] + len(line.encode('utf-8')[:col_bytes].decode('utf-8', 'ignore'))

    def span(self, node):
        return (self.offset(node.lineno, node.col_offset), self.offset(node.end_lineno, node.end_col_offset))

    def seg(self, node):
        start, end = self.span(node)
        return self.text[start:end]

    def utf16(self, offset):
        if not self._astral:
            return offset
        return len(self.text[:offset].encode('utf-16-le')) // 2

    def line_start(self, offset):
        return self.text.rfind('\n', 0, offset) + 1

    def indent_at(self, offset):
        start = self.line_start(offset)
        rest = self.text[start:]
        return rest[: len(rest) - len(rest.lstrip(' \t'))]

    def indent_unit(self):
        widths = sorted({len(l) - len(l.lstrip(' ')) for l in self.lines if l.strip() and l.startswith(' ')})
        if any(l.startswith('\t') for l in self.lines):
            return '\t'
        return ' ' * (widths[0] if widths and widths[0] in (2, 4) else 4)

    def eol(self):
        return '\r\n' if '\r\n' in self.text else '\n'

    def tokens(self):
        """(type, string, start_offset, end_offset) of every token, in code points."""
        if self._tokens is None:
            self._tokens = []
            for tok in tokenize.generate_tokens(io.StringIO(self.text).readline):
                (sr, sc), (er, ec) = tok.start, tok.end
                if sr - 1 >= len(self.starts) or er - 1 >= len(self.starts):
                    continue
                self._tokens.append((tok.type, tok.string, self.starts[sr - 1] + sc, self.starts[er - 1] + ec))
        return self._tokens

    def tokens_between(self, start, end):
        return [t for t in self.tokens() if t[2] >= start and t[3] <= end and t[0] in (tokenize.OP, tokenize.NAME)]

    # -- tree ------------------------------------------------------------
    def nodes_on_line(self, line):
        """Nodes whose first token is on `line`, in document order."""
        found = [n for n in ast.walk(self.tree) if getattr(n, 'lineno', None) == line and hasattr(n, 'col_offset')]
        return sorted(found, key=lambda n: (n.col_offset, -(n.end_lineno or 0), -(n.end_col_offset or 0)))

    def function_at(self, line):
        best = None
        for n in ast.walk(self.tree):
            if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef)) and n.lineno <= line <= n.end_lineno:
                if best is None or n.lineno >= best.lineno:
                    best = n
        return best


FUNCS = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)


def enclosing(node, kinds):
    n = getattr(node, 'parent', None)
    while n is not None and not isinstance(n, kinds):
        n = getattr(n, 'parent', None)
    return n


def insertion_statement(src, node):
    """The statement before which a new statement can go: in a body list, first on its line."""
    n = node
    while n is not None and not isinstance(n, FUNCS + (ast.Module, ast.ClassDef)):
        parent = getattr(n, 'parent', None)
        if isinstance(n, ast.stmt) and parent is not None and any(
            n in getattr(parent, field, []) for field in ('body', 'orelse', 'finalbody')
        ) or (isinstance(n, ast.stmt) and isinstance(parent, ast.ExceptHandler)):
            start = src.span(n)[0]
            if src.text[src.line_start(start):start].strip() == '':
                return n
        n = parent
    return None


def body_start(src, fn):
    """The first statement of a function after its docstring (None for a docstring-only body)."""
    body = fn.body
    if body and isinstance(body[0], ast.Expr) and isinstance(getattr(body[0], 'value', None), ast.Constant) and isinstance(body[0].value.value, str):
        body = body[1:]
    return body[0] if body else None


def is_simple(node):
    """Safe to evaluate twice: names, attribute chains, constant subscripts."""
    if isinstance(node, ast.Name):
        return True
    if isinstance(node, ast.Attribute):
        return is_simple(node.value)
    if isinstance(node, ast.Subscript):
        return is_simple(node.value) and isinstance(node.slice, (ast.Constant, ast.Name))
    return False


class Collector:
    """Gathers candidates for one ranked line and checks each compiles."""

    def __init__(self, src, line):
        self.src = src
        self.line = line
        self.out = []

    def add(self, template, description, edits):
        if not edits:
            return
        new = apply_edits(self.src.text, edits)
        if new == self.src.text:
            return
        try:
            compile(new, '<candidate>', 'exec', dont_inherit=True)
        except (SyntaxError, ValueError):
            return
        self.out.append({
            'template': template,
            'line': self.line,
            'description': description,
            'edits': [{'start': self.src.utf16(s), 'end': self.src.utf16(e), 'text': t} for s, e, t in edits],
        })

    def block(self, stmt, lines):
        """Text of `lines`, (depth, code) pairs, indented relative to `stmt`'s indentation."""
        indent = self.src.indent_at(self.src.span(stmt)[0])
        unit = self.src.indent_unit()
        return ''.join(indent + unit * depth + code + self.src.eol() for depth, code in lines)

    def insert_before(self, stmt, lines):
        """Edit inserting (depth, code) lines before `stmt`, on lines of their own."""
        ls = self.src.line_start(self.src.span(stmt)[0])
        return (ls, ls, self.block(stmt, lines))

    def guard(self, stmt, condition, value):
        """`if <condition>:` / `return <value>` before `stmt` (a bare `return` for value None-by-default)."""
        ret = 'return' if value == '' else 'return ' + value
        return self.insert_before(stmt, [(0, 'if %s:' % condition), (1, ret)])

    def replace(self, node, text):
        start, end = self.src.span(node)
        return (start, end, text)


def apply_edits(text, edits):
    out, at = [], 0
    for start, end, new in sorted(edits):
        if start < at:
            raise ValueError('overlapping edits')
        out.append(text[at:start])
        out.append(new)
        at = end
    out.append(text[at:])
    return ''.join(out)
