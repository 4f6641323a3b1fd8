// Runs inside the sandbox (`node -e <script> DIR ROOT DEST`): NODE_V8_COVERAGE writes every script each process loaded,
// node internals and node_modules included, often megabytes. Only the workspace's own scripts
// leave the sandbox.
export const V8_FILTER_SCRIPT = `
const fs = require('node:fs');
const path = require('node:path');
const { fileURLToPath } = require('node:url');
const [dir, root, dest] = process.argv.slice(1);
const out = [];
for (const name of fs.existsSync(dir) ? fs.readdirSync(dir) : []) {
  if (!name.endsWith('.json')) continue;
  let data;
  try { data = JSON.parse(fs.readFileSync(path.join(dir, name), 'utf8')); } catch { continue; }
  for (const script of data.result || []) {
    if (typeof script.url !== 'string' || !script.url.startsWith('file:')) continue;
    let file;
    try { file = fileURLToPath(script.url.replace(/[?#].*$/, '')); } catch { continue; }
    if (!file.startsWith(root + '/') || file.includes('/node_modules/')) continue;
    out.push({ url: script.url, functions: script.functions });
  }
}
fs.writeFileSync(dest, JSON.stringify(out));
`;
