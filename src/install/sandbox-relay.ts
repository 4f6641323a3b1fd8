// The sandbox half of `install.network: proxy`: the install command, wrapped so that a relay
// listens on the sandbox's own loopback (127.0.0.1:3128, all a network-`none` container has) and
// carries each connection to the egress proxy's Unix socket, and so that HTTP(S)_PROXY point at it.
// The relay is written in the image's runtime (node or python3), which every sandbox image has;
// it is tracefix's code, passed on the command line, never a file of the repository.

export const RELAY_PORT = 3128;

const NODE_RELAY = `const net = require('net'); const fs = require('fs'); const [sock, ready] = process.argv.slice(1);
net.createServer((c) => { const u = net.connect(sock); c.pipe(u); u.pipe(c); c.on('error', () => u.destroy()); u.on('error', () => c.destroy()); })
  .listen(${RELAY_PORT}, '127.0.0.1', () => fs.writeFileSync(ready, ''));`;

const PYTHON_RELAY = `import socket, sys, threading
sock, ready = sys.argv[1:3]
def pipe(a, b):
    try:
        while True:
            data = a.recv(65536)
            if not data:
                break
            b.sendall(data)
    except OSError:
        pass
    finally:
        try:
            b.shutdown(socket.SHUT_WR)
        except OSError:
            pass
server = socket.socket()
server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
server.bind(("127.0.0.1", ${RELAY_PORT}))
server.listen(64)
open(ready, "w").close()
while True:
    client, _ = server.accept()
    upstream = socket.socket(socket.AF_UNIX)
    try:
        upstream.connect(sock)
    except OSError:
        client.close()
        continue
    threading.Thread(target=pipe, args=(client, upstream), daemon=True).start()
    threading.Thread(target=pipe, args=(upstream, client), daemon=True).start()
`;

function quote(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

/** `sh -c` text: start the relay, wait (bounded) until it listens, run `command` through it, stop it. */
export function relayedCommand(command: string, socketPath: string, runtime: 'node' | 'python'): string {
  const ready = '/tmp/.tracefix-relay-ready';
  const relay = runtime === 'python' ? `python3 -I -c ${quote(PYTHON_RELAY)}` : `node -e ${quote(NODE_RELAY)}`;
  const proxy = `http://127.0.0.1:${RELAY_PORT}`;
  return [
    `rm -f ${ready}`,
    `${relay} ${quote(socketPath)} ${ready} & relay=$!`,
    `i=0; while [ ! -e ${ready} ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i+1)); done`,
    `[ -e ${ready} ] || { echo 'tracefix: the egress relay did not start' >&2; kill $relay 2>/dev/null; exit 70; }`,
    `export HTTP_PROXY=${proxy} HTTPS_PROXY=${proxy} http_proxy=${proxy} https_proxy=${proxy} npm_config_proxy=${proxy} npm_config_https_proxy=${proxy}; unset NO_PROXY no_proxy`,
    `( ${command} ); status=$?`,
    'kill $relay 2>/dev/null',
    'exit $status',
  ].join('\n');
}
