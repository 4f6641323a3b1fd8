"""Runs one pytest node id or unittest id and writes the executed lines of the workspace's own
files; shipped by tracefix, run as `python -c`. Uses coverage.py when it is importable (its C
tracer is several times faster), else the standard library's `trace` module.

usage: python -c <this file> OUT_JSON pytest NODE_ID [PYTEST_ARG ...]
       python -c <this file> OUT_JSON unittest TEST_ID REPORT_JSON RUNNER_SOURCE
Output: {"/abs/path/file.py": [line, ...]} for files under the current directory.
"""
import json
import os
import sys
import sysconfig
import trace


def ignored_dirs():
    dirs = {sys.prefix, sys.exec_prefix, getattr(sys, "base_prefix", ""), getattr(sys, "base_exec_prefix", "")}
    for key in ("stdlib", "platstdlib", "purelib", "platlib"):
        dirs.add(sysconfig.get_paths().get(key, ""))
    root = os.getcwd()
    # A virtualenv inside the workspace has its prefix under the root: still ignored. The root itself never.
    return sorted(d for d in dirs if d and not root.startswith(d.rstrip(os.sep) + os.sep) and d != root)


def run_pytest(args):
    import pytest

    return int(pytest.main(args))


def run_unittest(test_id, report, runner_source):
    # tracefix's unittest-runner.py, passed as an argument: it writes the same report as a plain run.
    namespace = {"__name__": "tracefix_unittest_runner"}
    exec(compile(runner_source, "<unittest-runner>", "exec"), namespace)
    return namespace["main"]([report, test_id])


def with_trace(fn, args):
    tracer = trace.Trace(count=1, trace=0, ignoredirs=ignored_dirs())
    code = tracer.runfunc(fn, *args)
    lines = {}
    for (filename, lineno), count in tracer.results().counts.items():
        if count > 0 and filename and not filename.startswith("<"):
            lines.setdefault(os.path.abspath(filename), set()).add(lineno)
    return code, lines


def with_coverage(coverage, fn, args):
    # No data file, and not the repository's own .coveragerc (it may omit the very files we want).
    cov = coverage.Coverage(data_file=None, config_file=False, include=[os.getcwd() + os.sep + "*"])
    cov.start()
    try:
        code = fn(*args)
    finally:
        cov.stop()
    data = cov.get_data()
    # Line 0 stands for a module with no statements (an empty __init__.py).
    return code, {os.path.abspath(f): {n for n in data.lines(f) or [] if n > 0} for f in data.measured_files()}


def main(argv):
    out, mode, rest = argv[0], argv[1], argv[2:]
    root = os.getcwd()
    sys.path.insert(0, root)
    fn, args = (run_pytest, [rest]) if mode == "pytest" else (run_unittest, rest[:3])
    try:
        import coverage
    except ImportError:
        coverage = None
    if coverage is not None and hasattr(coverage, "Coverage"):
        code, lines = with_coverage(coverage, fn, args)
    else:
        code, lines = with_trace(fn, args)
    executed = {}
    for path, numbers in lines.items():
        if path.startswith(root + os.sep) and numbers:
            executed[path] = numbers
    with open(out, "w") as fh:
        json.dump({path: sorted(lines) for path, lines in executed.items()}, fh)
    return code


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
