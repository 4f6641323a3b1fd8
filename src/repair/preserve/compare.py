# tracefix: the behaviour preservation gate's Python side. Usage: python3 -c <this> <spec.json>
# The spec names the original and the patched copies of one module (written beside it), the
# function, and the argument lists to try. Each version runs on a deep copy of each argument list;
# the outcome is the result's repr or the exception's type. Prints one JSON line.
import copy
import importlib.util
import json
import os
import sys

spec = json.load(open(sys.argv[1]))
sys.path[:0] = [os.getcwd()] + [os.path.join(os.getcwd(), p) for p in spec.get("roots", [])]


def load(path, tag):
    package = spec.get("package") or None
    name = (package + "." if package else "") + "_tracefix_preserve_" + tag
    s = importlib.util.spec_from_file_location(name, path)
    m = importlib.util.module_from_spec(s)
    if package:
        m.__package__ = package
    sys.modules[name] = m
    s.loader.exec_module(m)
    return m


def norm(v, d=0):
    # -0.0 and 0.0 compare equal (== does): no change of behaviour a caller can see.
    if isinstance(v, float) and v == 0:
        return 0.0
    if d < 6 and isinstance(v, list):
        return [norm(x, d + 1) for x in v]
    if d < 6 and isinstance(v, tuple):
        return tuple(norm(x, d + 1) for x in v)
    if d < 6 and isinstance(v, dict):
        return {k: norm(x, d + 1) for k, x in v.items()}
    return v


def outcome(fn, args):
    try:
        r = fn(*copy.deepcopy(args))
        if hasattr(r, "__await__"):
            import asyncio
            r = asyncio.run(r)
        return ["ok", repr(norm(r))[:500]]
    except Exception as e:  # noqa: BLE001 - any exception is an outcome to compare
        return ["raise", type(e).__name__]


try:
    before = getattr(load(spec["original"], "orig"), spec["function"])
    after = getattr(load(spec["patched"], "patched"), spec["function"])
except Exception as e:  # noqa: BLE001
    print(json.dumps({"error": "%s: %s" % (type(e).__name__, e)}))
    sys.exit(0)
results = []
for args in spec["inputs"]:
    results.append([outcome(before, args), outcome(after, args)])


def example(module_fn, call, expected):
    # A doctest line: the call evaluated in the module's namespace, its repr against the text.
    try:
        got = eval(call, dict(vars(sys.modules[module_fn.__module__])))  # noqa: S307 - the repository's own doc text, in the sandbox
        return repr(got) == expected or str(got) == expected
    except Exception:  # noqa: BLE001
        return False


examples = []
for ex in spec.get("examples", []):
    examples.append([example(before, ex["call"], ex["expected"]), example(after, ex["call"], ex["expected"])])
print(json.dumps({"results": results, "examples": examples}))
