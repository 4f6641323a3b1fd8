// The service's redaction key: 32 random bytes at `<dataDir>/redaction.key`, created on first use.
// It must survive restarts (the same value keeps the same pseudonym when a bundle is rebuilt, so
// bundle hashes are stable) and never leave the data directory.
import { randomBytes } from 'node:crypto';
import { link, mkdir, readFile, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';

export const REDACTION_KEY_FILE = 'redaction.key';
const KEY_BYTES = 32;

/** Reads the key, or creates it (mode 0600). Safe when several processes start at once: the key
 * is written to a temporary file and hard-linked into place, which is atomic and fails if the
 * file exists, so every process ends up with the one key that won. */
export async function loadOrCreateRedactionKey(dataDir: string): Promise<Buffer> {
  const file = path.join(dataDir, REDACTION_KEY_FILE);
  const existing = await readKey(file);
  if (existing) return existing;
  // 0711, not 0700: sandboxes of the local driver run as another uid and must traverse the data
  // dir to reach their workspace; the key file itself is 0600, and the directory is not listable.
  await mkdir(dataDir, { recursive: true, mode: 0o711 });
  const temp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  await writeFile(temp, randomBytes(KEY_BYTES), { flag: 'wx', mode: 0o600 });
  try {
    await link(temp, file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  } finally {
    await unlink(temp);
  }
  const key = await readKey(file);
  if (!key) throw new Error(`${file} vanished right after it was created`);
  return key;
}

async function readKey(file: string): Promise<Buffer | null> {
  try {
    const key = await readFile(file);
    if (key.length !== KEY_BYTES) throw new Error(`${file} must hold exactly ${KEY_BYTES} bytes, found ${key.length}`);
    return key;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}
