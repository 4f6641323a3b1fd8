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


def outcome(fn, args):
    try:
        r = fn(*copy.deepcopy(args))
        if hasattr(r, "__await__"):
            import asyncio
            r = asyncio.run(r)
        return ["ok", repr(r)[:500]]
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
print(json.dumps({"results": results}))
