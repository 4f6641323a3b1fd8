// TEST HELPER: a PEP 503 "simple" package index on loopback, serving the wheels of a directory the
// test built (PyPI is not reachable here). It records every request, so a test can assert that a
// cached install asked the index nothing. pip treats 127.0.0.1 as a secure origin over plain HTTP.
import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';

export interface PythonIndex {
  /** `http://127.0.0.1:<port>/simple/` */
  url: string;
  /** `GET /simple/tinyunits/`, `GET /files/tinyunits-1.0.0-py3-none-any.whl`, … */
  seen: string[];
  close(): Promise<void>;
}

function normalize(name: string): string {
  return name.toLowerCase().replace(/[-_.]+/g, '-');
}

export async function servePythonIndex(wheelDir: string): Promise<PythonIndex> {
  const seen: string[] = [];
  const server = http.createServer((req, res) => {
    void (async () => {
      seen.push(`${req.method} ${req.url}`);
      const url = new URL(req.url ?? '/', 'http://index');
      const files = (await readdir(wheelDir)).filter((f) => f.endsWith('.whl'));
      const project = /^\/simple\/([^/]+)\/?$/.exec(url.pathname);
      if (project?.[1]) {
        const mine = files.filter((f) => normalize(f.split('-')[0] ?? '') === normalize(project[1] ?? ''));
        if (mine.length === 0) return void res.writeHead(404).end('not found');
        const links = await Promise.all(mine.map(async (f) => `<a href="/files/${f}#sha256=${createHash('sha256').update(await readFile(path.join(wheelDir, f))).digest('hex')}">${f}</a>`));
        return void res.writeHead(200, { 'content-type': 'text/html' }).end(`<!DOCTYPE html><html><body>${links.join('\n')}</body></html>`);
      }
      const file = /^\/files\/([^/]+\.whl)$/.exec(url.pathname)?.[1];
      if (file && files.includes(file)) return void res.writeHead(200, { 'content-type': 'application/octet-stream' }).end(await readFile(path.join(wheelDir, file)));
      res.writeHead(404).end('not found');
    })().catch(() => res.writeHead(500).end());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/simple/`,
    seen,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
