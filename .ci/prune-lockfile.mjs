#!/usr/bin/env node
// Removes, from package-lock.json, optional dependencies that have no entry of their own. npm
// writes such references when the registry lacks a platform build (msgpackr-extract for darwin
// and win32 on the mirror CI uses), and `npm ci` then refuses the lockfile. Run after `npm install`.
import { readFileSync, writeFileSync } from 'node:fs';

const file = new URL('../package-lock.json', import.meta.url);
const lock = JSON.parse(readFileSync(file, 'utf8'));
const has = (name, dep) => {
  const parts = name.split('/node_modules/');
  for (let i = parts.length; i >= 0; i--) {
    const prefix = parts.slice(0, i).join('/node_modules/');
    if (`${prefix ? `${prefix}/` : ''}node_modules/${dep}` in lock.packages) return true;
  }
  return false;
};
const pruned = [];
for (const [name, entry] of Object.entries(lock.packages)) {
  for (const dep of Object.keys(entry.optionalDependencies ?? {})) {
    if (!has(name, dep)) {
      delete entry.optionalDependencies[dep];
      pruned.push(`${name || '(root)'} → ${dep}`);
    }
  }
}
writeFileSync(file, `${JSON.stringify(lock, null, 2)}\n`);
console.log(pruned.length ? `pruned:\n  ${pruned.join('\n  ')}` : 'nothing to prune');
