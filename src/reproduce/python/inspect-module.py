# tracefix: describe the functions of Python modules for test synthesis and localization.
# Usage: python3 -c <this source> <file.py>...   Prints one JSON object: {file: info}.
# Only parses (ast); never imports or runs the module.
import ast
import json
import sys


def annotation(a):
    if a.annotation is None or not hasattr(ast, "unparse"):
        return None
    return ast.unparse(a.annotation)[:200]


def params(args):
    out = []
    positional = list(args.posonlyargs) + list(args.args)
    first_default = len(positional) - len(args.defaults)
    for i, a in enumerate(positional):
        kind = "posonly" if i < len(args.posonlyargs) else "arg"
        out.append({"name": a.arg, "kind": kind, "default": i >= first_default, "annotation": annotation(a)})
    if args.vararg:
        out.append({"name": args.vararg.arg, "kind": "vararg", "default": True})
    for a, d in zip(args.kwonlyargs, args.kw_defaults):
        out.append({"name": a.arg, "kind": "kwonly", "default": d is not None, "annotation": annotation(a)})
    if args.kwarg:
        out.append({"name": args.kwarg.arg, "kind": "kwarg", "default": True})
    return out


def decorator_names(node):
    names = []
    for d in node.decorator_list:
        target = d.func if isinstance(d, ast.Call) else d
        names.append(ast.unparse(target) if hasattr(ast, "unparse") else getattr(target, "id", "?"))
    return names


def walk(body, prefix, cls, nested, out):
    for node in body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            decorators = decorator_names(node)
            if nested:
                kind = "nested"
            elif cls is None:
                kind = "function"
            elif "staticmethod" in decorators:
                kind = "staticmethod"
            elif "classmethod" in decorators:
                kind = "classmethod"
            else:
                kind = "method"
            out.append({
                "name": node.name,
                "qualname": prefix + node.name,
                "line": min([node.lineno] + [d.lineno for d in node.decorator_list]),
                "end_line": getattr(node, "end_lineno", node.lineno),
                "async": isinstance(node, ast.AsyncFunctionDef),
                "class": cls,
                "kind": kind,
                "decorators": decorators,
                "params": params(node.args),
            })
            walk(node.body, prefix + node.name + ".<locals>.", None, True, out)
        elif isinstance(node, ast.ClassDef):
            walk(node.body, prefix + node.name + ".", prefix + node.name, nested, out)
        elif isinstance(node, (ast.If, ast.Try, ast.With, ast.For, ast.While)):
            # Definitions under `if TYPE_CHECKING:` / try-except imports are still module level.
            for part in ("body", "orelse", "finalbody"):
                walk(getattr(node, part, []) or [], prefix, cls, nested, out)
            for handler in getattr(node, "handlers", []) or []:
                walk(handler.body, prefix, cls, nested, out)


result = {}
for path in sys.argv[1:]:
    try:
        with open(path, "rb") as f:
            tree = ast.parse(f.read(), filename=path)
    except (OSError, SyntaxError, ValueError) as e:
        result[path] = {"error": "%s: %s" % (type(e).__name__, e)}
        continue
    functions = []
    walk(tree.body, "", None, False, functions)
    result[path] = {"functions": functions}
print(json.dumps(result))
