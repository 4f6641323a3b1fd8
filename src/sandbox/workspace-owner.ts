// Who runs inside a sandbox, and handing the workspace to that user. A root host runs sandboxes as
// a fixed unprivileged uid, so the checkout (created by root) must become writable for it; a
// non-root host runs them as itself, which already owns the checkout.
import fs from 'node:fs';
import path from 'node:path';

export interface SandboxUser {
  uid: number;
  gid: number;
}

export function sandboxUser(preferredUid: number): SandboxUser {
  const uid = process.getuid?.() ?? 0;
  if (uid === 0) return { uid: preferredUid, gid: preferredUid };
  return { uid, gid: process.getgid?.() ?? uid };
}

/**
 * chowns everything under the workspace except the top-level .git to the sandbox user, without
 * following symlinks (a link to /etc/shadow must not hand /etc/shadow over). The workspace
 * directory itself keeps its owner, because git refuses a worktree owned by another user and the
 * host still runs git there, but gets the sandbox's group with group write so new top-level files
 * can be created. No-op unless running as root.
 */
export function handOverWorkspace(workspaceDir: string, user: SandboxUser): void {
  if ((process.getuid?.() ?? 0) !== 0) return;
  const top = fs.lstatSync(workspaceDir);
  fs.lchownSync(workspaceDir, top.uid, user.gid);
  fs.chmodSync(workspaceDir, (top.mode & 0o7777) | 0o070);
  const stack: string[] = [];
  for (const entry of fs.readdirSync(workspaceDir, { withFileTypes: true })) {
    if (entry.name === '.git') continue;
    stack.push(path.join(workspaceDir, entry.name));
  }
  // Synchronous on purpose: ~5 µs per entry, where the promise API costs ten times that.
  while (stack.length > 0) {
    const current = stack.pop() as string;
    const stat = fs.lstatSync(current, { throwIfNoEntry: false });
    if (!stat) continue;
    if (stat.uid !== user.uid || stat.gid !== user.gid) fs.lchownSync(current, user.uid, user.gid);
    if (stat.isDirectory()) {
      for (const name of fs.readdirSync(current)) stack.push(path.join(current, name));
    }
  }
}
