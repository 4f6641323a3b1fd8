"""Entry point of the Python template helper.

Request (JSON, from src/repair/templates/python.ts):
  {"mode": "candidates", "source": str, "lines": [int]}
      -> {"candidates": [{template, line, description, edits: [{start, end, text}]}]}
  {"mode": "sites", "source": str, "lines": [int]}
      -> the value-search sites of those lines (see tf_sites.py)
  {"mode": "suppression", "before": str, "after": str, "line": int, "function": str|null}
      -> the facts src/repair/guards/ judges (see tf_suppression.py)
Offsets in edits are UTF-16 code units into `source`, as JavaScript strings count them.
Run directly for debugging: python3 tf_main.py < request.json
"""
import json
import sys

from tf_common import Collector, Source
from tf_inserts import accumulator_return, counter_reset, guard, loop_update
from tf_guards import clamp, empty_guards, none_guard, parse_fallback
from tf_mutations import missing_await, off_by_one, operator_swap, variable_replace
from tf_wider import (arithmetic_swap, drop_operand, expression_replace, flip_booleans, insert_statement, literal_change,
                      sibling_call, swap_operands, wrap)

# In the order their candidates are preferred when location and size tie (as in engine.ts).
TEMPLATES = [none_guard, empty_guards, parse_fallback, missing_await, clamp, operator_swap, off_by_one, variable_replace,
             wrap, swap_operands, arithmetic_swap, sibling_call, flip_booleans, literal_change, drop_operand,
             insert_statement, loop_update, counter_reset, accumulator_return, expression_replace, guard]


def candidates(request):
    try:
        src = Source(request['source'])
    except (SyntaxError, ValueError) as err:
        return {'candidates': [], 'error': 'does not parse: %s' % err}
    out = []
    for line in request['lines']:
        if line < 1 or line > len(src.lines):
            continue
        col = Collector(src, line)
        nodes = src.nodes_on_line(line)
        for template in TEMPLATES:
            try:
                template(src, col, nodes)
            except Exception as err:  # one template's bug must not cost the others their candidates
                print('template %s failed at line %d: %r' % (template.__name__, line, err), file=sys.stderr)
        out.extend(col.out)
    return {'candidates': out}


def main(request):
    mode = request.get('mode')
    if mode == 'candidates':
        answer = candidates(request)
    elif mode == 'sites':
        from tf_sites import sites
        answer = sites(request)
    elif mode == 'suppression':
        from tf_suppression import facts
        try:
            answer = facts(request)
        except (SyntaxError, ValueError) as err:
            answer = {'error': 'does not parse: %s' % err}
    else:
        raise SystemExit('unknown mode %r' % mode)
    sys.stdout.write(json.dumps(answer))


if __name__ == '__main__':
    main(json.loads(sys.stdin.read()))
