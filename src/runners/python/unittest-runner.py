"""Runs unittest tests and writes one JSON report; shipped by tracefix, run as `python -c`.

usage: python -c <this file> OUT_JSON [TEST_ID ...]
Without ids it discovers like `python -m unittest` (start '.', pattern 'test*.py'). With ids it
loads each dotted id (`package.module.Class.test_method`). Exit code 0 when everything passed.
"""
import inspect
import json
import os
import sys
import time
import unittest


def source_file(test):
    try:
        path = inspect.getsourcefile(type(test))
    except (TypeError, OSError):
        return ""
    if not path:
        return ""
    rel = os.path.relpath(os.path.abspath(path), os.getcwd())
    return "" if rel.startswith("..") else rel.replace(os.sep, "/")


def display_name(test):
    method = getattr(test, "_testMethodName", None)
    if method and method != "runTest":
        return "%s.%s" % (type(test).__name__, method)
    return test.id()


class JsonResult(unittest.TestResult):
    def __init__(self):
        super().__init__()
        self.records = {}
        self.order = []
        self.started = {}

    def _record(self, test, status, err=None, message=None):
        test_id = test.id()
        rec = self.records.get(test_id)
        if rec is None:
            rec = {
                "id": test_id,
                "file": source_file(test),
                "name": display_name(test),
                "status": "passed",
                "durationMs": 0,
            }
            self.records[test_id] = rec
            self.order.append(test_id)
        # A failed subtest fails its test; a later success must not hide it.
        if rec["status"] in ("failed", "error") and status == "passed":
            return
        rec["status"] = status
        if err is not None:
            rec["type"] = err[0].__name__
            rec["message"] = str(err[1])
            rec["traceback"] = self._exc_info_to_string(err, test)
        elif message is not None:
            rec["message"] = message
        if test_id in self.started:
            rec["durationMs"] = (time.monotonic() - self.started[test_id]) * 1000

    def startTest(self, test):
        super().startTest(test)
        self.started[test.id()] = time.monotonic()

    def addSuccess(self, test):
        super().addSuccess(test)
        self._record(test, "passed")

    def addFailure(self, test, err):
        super().addFailure(test, err)
        self._record(test, "failed", err)

    def addError(self, test, err):
        super().addError(test, err)
        # setUpClass/module errors arrive on an _ErrorHolder, not a TestCase.
        self._record(test, "error", err)

    def addSkip(self, test, reason):
        super().addSkip(test, reason)
        self._record(test, "skipped", message=reason)

    def addExpectedFailure(self, test, err):
        super().addExpectedFailure(test, err)
        self._record(test, "passed")

    def addUnexpectedSuccess(self, test):
        super().addUnexpectedSuccess(test)
        self._record(test, "failed", message="unexpected success")

    def addSubTest(self, test, subtest, err):
        super().addSubTest(test, subtest, err)
        if err is not None:
            failed = issubclass(err[0], test.failureException)
            self._record(test, "failed" if failed else "error", err)


def main(argv):
    out, ids = argv[0], argv[1:]
    sys.path.insert(0, os.getcwd())
    loader = unittest.TestLoader()
    suite = unittest.TestSuite()
    if ids:
        for test_id in ids:
            suite.addTest(loader.loadTestsFromName(test_id))
    else:
        suite = loader.discover(".", pattern="test*.py", top_level_dir=".")
    result = JsonResult()
    suite.run(result)
    with open(out, "w") as fh:
        json.dump({"tests": [result.records[i] for i in result.order]}, fh)
    return 0 if result.wasSuccessful() else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
