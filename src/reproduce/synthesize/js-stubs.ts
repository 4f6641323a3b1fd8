// Stand-ins for the parameters of an HTTP handler that no evidence holds: the response and `next`.
// The response covers what handlers call on node:http's ServerResponse (writeHead, setHeader,
// getHeader, write, end…) and the Express/Fastify helpers on top of it (status().json(),
// code().send(), set, type, redirect…), chainable where the real ones are. It keeps only what a
// handler may read back (statusCode, headers, headersSent, writableEnded) and serializes what
// json()/send() would, since a value JSON cannot hold throws there in production too. Fixed code,
// never production data.

export type JsStub = 'response' | 'next';

/** The stand-in's source, for a test file whose statements are indented by two spaces. `ts`
 * annotates parameters (a type-checking runner rejects implicit any); `quote` is the repo's. */
export function jsStubSource(stub: JsStub, ts: boolean, quote: "'" | '"' = "'"): string {
  if (stub === 'next') return '() => {}';
  const any = ts ? ': any' : '';
  const anys = ts ? ': any[]' : '';
  const lines = [
    '(() => {',
    '  const stored = Object.create(null);',
    `  const key = (name${any}) => String(name).toLowerCase();`,
    // Node calls write's and end's callback once flushed: a handler may await it.
    `  const flushed = (args${anys}) => args.filter((a) => typeof a === 'function').forEach((cb) => Promise.resolve().then(() => cb()));`,
    `  const stub${any} = {`,
    '    statusCode: 200,',
    "    statusMessage: '',",
    '    headersSent: false,',
    '    writableEnded: false,',
    '    finished: false,',
    '    locals: {},',
    `    writeHead(code${any}, message${any}, fields${any}) {`,
    "      if (typeof message === 'string') stub.statusMessage = message;",
    '      else fields = message;',
    '      stub.statusCode = code;',
    // [[name, value], …] and the raw [name, value, name, value] flatten alike.
    '      const pairs = Array.isArray(fields) ? fields.flat() : Object.entries(fields ?? {}).flat();',
    '      for (let i = 0; i + 1 < pairs.length; i += 2) stub.setHeader(pairs[i], pairs[i + 1]);',
    '      stub.headersSent = true;',
    '      return stub;',
    '    },',
    `    setHeader(name${any}, value${any}) { stored[key(name)] = value; return stub; },`,
    `    appendHeader(name${any}, value${any}) { const had = stored[key(name)]; stored[key(name)] = had === undefined ? value : [].concat(had, value); return stub; },`,
    `    getHeader(name${any}) { return stored[key(name)]; },`,
    '    getHeaders() { return { ...stored }; },',
    '    getHeaderNames() { return Object.keys(stored); },',
    `    hasHeader(name${any}) { return key(name) in stored; },`,
    `    removeHeader(name${any}) { delete stored[key(name)]; },`,
    '    flushHeaders() { stub.headersSent = true; },',
    '    writeContinue() {},',
    `    write(...args${anys}) { stub.headersSent = true; flushed(args); return true; },`,
    `    end(...args${anys}) { stub.headersSent = stub.writableEnded = stub.finished = true; flushed(args); return stub; },`,
    '    setTimeout() { return stub; },',
    '    cork() {},',
    '    uncork() {},',
    '    on() { return stub; },',
    '    once() { return stub; },',
    '    off() { return stub; },',
    '    addListener() { return stub; },',
    '    removeListener() { return stub; },',
    '    removeAllListeners() { return stub; },',
    '    emit() { return false; },',
    `    status(code${any}) { stub.statusCode = code; return stub; },`,
    `    code(code${any}) { stub.statusCode = code; return stub; },`,
    `    sendStatus(code${any}) { stub.statusCode = code; return stub.end(); },`,
    `    set(name${any}, value${any}) { if (name !== null && typeof name === 'object') for (const [k, v] of Object.entries(name)) stub.setHeader(k, v); else stub.setHeader(name, value); return stub; },`,
    `    header(name${any}, value${any}) { return stub.set(name, value); },`,
    `    headers(fields${any}) { return stub.set(fields); },`,
    `    get(name${any}) { return stub.getHeader(name); },`,
    `    append(name${any}, value${any}) { return stub.appendHeader(name, value); },`,
    `    type(value${any}) { return stub.setHeader('content-type', value); },`,
    `    location(url${any}) { return stub.setHeader('location', url); },`,
    '    vary() { return stub; },',
    '    cookie() { return stub; },',
    '    clearCookie() { return stub; },',
    `    redirect(a${any}, b${any}) { stub.statusCode = typeof a === 'number' ? a : 302; stub.setHeader('location', typeof a === 'number' ? b : a); return stub.end(); },`,
    `    json(body${any}) { JSON.stringify(body); if (!stub.hasHeader('content-type')) stub.setHeader('content-type', 'application/json'); return stub.end(); },`,
    `    send(body${any}) { if (body !== null && typeof body === 'object' && !ArrayBuffer.isView(body)) JSON.stringify(body); return stub.end(); },`,
    '  };',
    '  return stub;',
    '})()',
  ];
  const source = lines.map((l, i) => (i === 0 ? l : `  ${l}`)).join('\n');
  return quote === "'" ? source : source.replaceAll("'", quote);
}
