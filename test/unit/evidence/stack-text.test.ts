// Stack text → ExceptionValue/Frame, on realistic V8 and CPython output.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  framesFromStackText,
  parseErrorHeadline,
  parsePythonTraceback,
  parseStackText,
  parseV8FrameLine,
  parseV8Stack,
} from '../../../src/evidence/stack-text.ts';
import { fixtureJson } from '../intake/support.ts';

// What `node server.js` prints for an uncaught exception (Node 22): source line, caret, stack.
const NODE_UNCAUGHT = `/app/src/routes/cart.js:42
    const total = cart.items.reduce((sum, item) => sum + item.price * item.qty, 0);
                             ^

TypeError: Cannot read properties of undefined (reading 'reduce')
    at totalPrice (/app/src/routes/cart.js:42:30)
    at checkout (/app/src/routes/cart.js:88:17)
    at Layer.handle [as handle_request] (/app/node_modules/express/lib/router/layer.js:95:5)
    at next (/app/node_modules/express/lib/router/route.js:149:13)
    at Route.dispatch (/app/node_modules/express/lib/router/route.js:119:3)
    at process.processTicksAndRejections (node:internal/process/task_queues:95:5)

Node.js v22.11.0`;

// An ESM service: file:// URLs, a `new` frame, a Node error code in the headline.
const NODE_ESM = `RangeError [ERR_OUT_OF_RANGE]: The value of "offset" is out of range. It must be >= 0 and <= 12. Received 16
    at Buffer.readUInt32BE (node:internal/buffer:88:5)
    at new FrameDecoder (file:///srv/gateway/src/codec/frame.mjs:31:24)
    at Socket.<anonymous> (file:///srv/gateway/src/server.mjs:57:19)
    at Socket.emit (node:events:519:28)
    at async Promise.all (index 0)
    at async handleConnection (file:///srv/gateway/src/server.mjs:40:3)`;

// util.inspect of an error with a cause (what console.error / an unhandled rejection prints).
const NODE_CAUSE = `Error: Failed to load user 42
    at loadUser (/app/src/users.js:18:11)
    at async handler (/app/src/server.js:30:5) {
  [cause]: Error: connect ECONNREFUSED 127.0.0.1:5432
      at TCPConnectWrap.afterConnect [as oncomplete] (node:net:1610:16) {
    errno: -111,
    code: 'ECONNREFUSED',
    syscall: 'connect',
    address: '127.0.0.1',
    port: 5432
  }
}`;

// CPython 3.12, Flask app, `raise … from exc` (explicit cause), with 3.11+ caret lines.
const PYTHON_CAUSE = `Traceback (most recent call last):
  File "/srv/app/orders/repository.py", line 57, in find_order
    return self._orders[order_id]
           ~~~~~~~~~~~~^^^^^^^^^^
KeyError: 'ord_8f3a2c'

The above exception was the direct cause of the following exception:

Traceback (most recent call last):
  File "/srv/app/.venv/lib/python3.12/site-packages/flask/app.py", line 1473, in wsgi_app
    response = self.full_dispatch_request()
               ^^^^^^^^^^^^^^^^^^^^^^^^^^^^
  File "/srv/app/.venv/lib/python3.12/site-packages/flask/app.py", line 882, in full_dispatch_request
    rv = self.dispatch_request()
         ^^^^^^^^^^^^^^^^^^^^^^^
  File "/srv/app/orders/views.py", line 23, in get_order
    order = repo.find_order(order_id)
            ^^^^^^^^^^^^^^^^^^^^^^^^^
  File "/srv/app/orders/repository.py", line 59, in find_order
    raise OrderNotFound(f"order {order_id} not found") from exc
orders.errors.OrderNotFound: order ord_8f3a2c not found`;

// Implicit chaining ("During handling…"), a multi-line message, and a message-less exception.
const PYTHON_CONTEXT = `Traceback (most recent call last):
  File "/opt/worker/jobs/import_csv.py", line 88, in parse_row
    amount = Decimal(row["amount"])
decimal.InvalidOperation: [<class 'decimal.ConversionSyntax'>]

During handling of the above exception, another exception occurred:

Traceback (most recent call last):
  File "/opt/worker/jobs/import_csv.py", line 112, in run
    rows = [parse_row(r) for r in reader]
  File "/opt/worker/jobs/import_csv.py", line 90, in parse_row
    raise ValueError(f"bad amount in row {row['id']}:\\n{row}")
ValueError: bad amount in row 17:
{'id': '17', 'amount': '12,50'}`;

describe('parseV8Stack', () => {
  it('Node uncaught output: headline below the source excerpt, frames reversed to caller → callee', () => {
    const [error, ...rest] = parseV8Stack(NODE_UNCAUGHT) ?? [];
    assert.equal(rest.length, 0);
    assert.equal(error?.type, 'TypeError');
    assert.equal(error?.message, "Cannot read properties of undefined (reading 'reduce')");
    assert.equal(error?.frames.length, 6);
    assert.deepEqual(error?.frames.at(-1), { function: 'totalPrice', file: '/app/src/routes/cart.js', absPath: '/app/src/routes/cart.js', line: 42, column: 30, inApp: true });
    assert.deepEqual(error?.frames.map((f) => f.function), ['process.processTicksAndRejections', 'Route.dispatch', 'next', 'Layer.handle', 'checkout', 'totalPrice']);
    assert.deepEqual(error?.frames.map((f) => f.inApp), [false, false, false, false, true, true]);
    assert.equal(error?.frames[0]?.file, 'node:internal/process/task_queues');
    assert.match(error?.rawStack ?? '', /^TypeError: Cannot read/);
    assert.doesNotMatch(error?.rawStack ?? '', /Node\.js v22/);
  });

  it('ESM: file:// URLs become paths, `new`, `async`, `[as x]` and `(index 0)` frames', () => {
    const [error] = parseV8Stack(NODE_ESM) ?? [];
    assert.equal(error?.type, 'RangeError');
    assert.match(error?.message ?? '', /^The value of "offset" is out of range\./);
    assert.equal(error?.frames.length, 6);
    const byFn = Object.fromEntries((error?.frames ?? []).map((f) => [f.function, f]));
    assert.deepEqual(byFn['new FrameDecoder'], { function: 'new FrameDecoder', file: '/srv/gateway/src/codec/frame.mjs', absPath: '/srv/gateway/src/codec/frame.mjs', line: 31, column: 24, inApp: true });
    assert.equal(byFn['Promise.all']?.file, 'index 0');
    assert.equal(byFn['Promise.all']?.inApp, false);
    assert.equal(byFn.handleConnection?.line, 40);
    assert.equal(error?.frames.at(-1)?.function, 'Buffer.readUInt32BE');
    assert.equal(error?.frames.at(-1)?.inApp, false);
  });

  it('an error cause printed by util.inspect becomes the older exception of the chain', () => {
    const chain = parseV8Stack(NODE_CAUSE) ?? [];
    assert.deepEqual(chain.map((e) => [e.type, e.message]), [
      ['Error', 'connect ECONNREFUSED 127.0.0.1:5432'],
      ['Error', 'Failed to load user 42'],
    ]);
    assert.deepEqual(chain[1]?.frames.map((f) => `${f.function}@${f.line}`), ['handler@30', 'loadUser@18']);
    assert.equal(chain[0]?.frames[0]?.function, 'TCPConnectWrap.afterConnect');
  });

  it('a browser stack from the OTLP fixture (http URLs with query strings, anonymous frames)', () => {
    const span = JSON.stringify(fixtureJson('otlp/vaadin-observability-kit-browser-span-with-exception-event.json'));
    const stack = /"stringValue":"(Error: A client side error[^"]*)"/.exec(span)?.[1];
    assert.ok(stack);
    const [error] = parseStackText(JSON.parse(`"${stack}"`) as string);
    assert.equal(error?.type, 'Error');
    assert.equal(error?.message, 'A client side error');
    assert.equal(error?.frames.length, 7);
    const crash = error?.frames.at(-1);
    assert.equal(crash?.function, 'ProblematicComponent._throwError');
    assert.equal(crash?.file, '/VAADIN/src/problematic-component.ts');
    assert.equal(crash?.absPath, 'http://localhost:8080/VAADIN/src/problematic-component.ts');
    assert.equal(crash?.line, 22);
    assert.equal(crash?.inApp, true);
    const anonymous = error?.frames.find((f) => f.function === undefined);
    assert.equal(anonymous?.line, 219);
    assert.equal(anonymous?.inApp, false, 'under node_modules/.vite');
  });

  it('prose is not a stack', () => {
    assert.equal(parseV8Stack('We looked at home (see above)\nand at the office'), undefined);
    assert.deepEqual(parseStackText('no stack here'), []);
  });
});

describe('parseV8FrameLine', () => {
  it('handles eval origins, Windows paths and location-less frames', () => {
    assert.deepEqual(parseV8FrameLine('    at eval (eval at compile (/app/src/tpl.js:12:9), <anonymous>:1:1)'), {
      function: 'eval', file: '/app/src/tpl.js', absPath: '/app/src/tpl.js', line: 12, column: 9, inApp: true,
    });
    assert.equal(parseV8FrameLine('    at run (C:\\svc\\src\\job.js:7:3)')?.file, 'C:\\svc\\src\\job.js');
    assert.deepEqual(parseV8FrameLine('    at new Promise (<anonymous>)'), { function: 'new Promise', file: '<anonymous>', inApp: false });
    assert.equal(parseV8FrameLine('TypeError: x'), undefined);
  });
});

describe('parsePythonTraceback', () => {
  it('explicit cause chain: oldest first, module-qualified type split, carets skipped, site-packages not in app', () => {
    const chain = parsePythonTraceback(PYTHON_CAUSE);
    assert.equal(chain.length, 2);
    const [cause, raised] = chain;
    assert.equal(cause?.type, 'KeyError');
    assert.equal(cause?.message, "'ord_8f3a2c'");
    assert.deepEqual(cause?.frames, [
      { file: '/srv/app/orders/repository.py', absPath: '/srv/app/orders/repository.py', function: 'find_order', line: 57, inApp: true, contextLine: 'return self._orders[order_id]' },
    ]);
    assert.equal(raised?.type, 'OrderNotFound');
    assert.equal(raised?.module, 'orders.errors');
    assert.equal(raised?.message, 'order ord_8f3a2c not found');
    assert.deepEqual(raised?.frames.map((f) => [f.function, f.line, f.inApp]), [
      ['wsgi_app', 1473, false],
      ['full_dispatch_request', 882, false],
      ['get_order', 23, true],
      ['find_order', 59, true],
    ]);
    assert.equal(raised?.frames.at(-1)?.contextLine, 'raise OrderNotFound(f"order {order_id} not found") from exc');
    assert.match(raised?.rawStack ?? '', /^Traceback/);
  });

  it('implicit context chain with a multi-line message', () => {
    const chain = parseStackText(PYTHON_CONTEXT);
    assert.deepEqual(chain.map((e) => e.type), ['InvalidOperation', 'ValueError']);
    assert.equal(chain[0]?.module, 'decimal');
    assert.equal(chain[1]?.message, "bad amount in row 17:\n{'id': '17', 'amount': '12,50'}");
    assert.deepEqual(chain[1]?.frames.map((f) => f.line), [112, 90]);
  });

  it('a message-less exception, and a traceback pasted with indentation inside markdown', () => {
    const indented = ['  Traceback (most recent call last):', '    File "cli.py", line 3, in <module>', '      main()', '  KeyboardInterrupt'].join('\n');
    const [error] = parsePythonTraceback(indented);
    assert.equal(error?.type, 'KeyboardInterrupt');
    assert.equal(error?.message, '');
    assert.deepEqual(error?.frames, [{ file: 'cli.py', function: '<module>', line: 3, inApp: true, contextLine: 'main()' }]);
  });
});

describe('parseErrorHeadline', () => {
  it('reads type and message from the first line', () => {
    assert.deepEqual(parseErrorHeadline("TypeError: Cannot read properties of undefined (reading 'id')\n    at x (a.js:1:1)"), {
      type: 'TypeError',
      message: "Cannot read properties of undefined (reading 'id')",
    });
    assert.deepEqual(parseErrorHeadline('Uncaught ReferenceError: heck is not defined'), { type: 'ReferenceError', message: 'heck is not defined' });
    assert.deepEqual(parseErrorHeadline('TypeError [ERR_INVALID_ARG_TYPE]: The "path" argument must be of type string'), {
      type: 'TypeError',
      message: 'The "path" argument must be of type string',
    });
    assert.deepEqual(parseErrorHeadline('Error'), { type: 'Error', message: '' });
    assert.equal(parseErrorHeadline('Spelling error in the README file'), undefined);
    assert.equal(parseErrorHeadline('checkout'), undefined);
  });
});

describe('hostile text stays linear', () => {
  it('long lines of near-frames and unclosed structures parse quickly', () => {
    const started = performance.now();
    parseStackText(`Error: x\n    at ${' ('.repeat(50_000)}`);
    parseStackText(`    at a${' '.repeat(100_000)}b`);
    parseStackText(`Traceback (most recent call last):\n  File "${'"'.repeat(100_000)}`);
    assert.ok(performance.now() - started < 2000, `took ${performance.now() - started} ms`);
  });
});

describe('framesFromStackText', () => {
  it('returns the raised exception frames, honouring an OTel language hint', () => {
    assert.equal(framesFromStackText(NODE_UNCAUGHT).at(-1)?.function, 'totalPrice');
    assert.equal(framesFromStackText(PYTHON_CAUSE, { language: 'python' }).at(-1)?.function, 'find_order');
    assert.deepEqual(framesFromStackText(PYTHON_CAUSE, { language: 'nodejs' }), []);
    assert.deepEqual(framesFromStackText('java.lang.IllegalStateException: x\n\tat com.acme.A.b(A.java:3)', { language: 'java' }), []);
  });
});
