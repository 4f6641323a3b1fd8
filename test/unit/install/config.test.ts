// The install section of the config: TRACEFIX_INSTALL_TOOL_PATH is a PATH-like list of absolute
// directories (an operator's pinned pnpm or yarn), empty by default; a relative entry is a
// ConfigError naming the variable and the entry, since the fetch runs from a scratch directory.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadConfig } from '../../../src/config.ts';
import { ConfigError } from '../../../src/errors.ts';

describe('config.install.toolPath', () => {
  it('is empty unless set, and keeps the order of a PATH-like list', () => {
    assert.deepEqual(loadConfig({}).install.toolPath, []);
    assert.deepEqual(loadConfig({ TRACEFIX_INSTALL_TOOL_PATH: '' }).install.toolPath, []);
    assert.deepEqual(loadConfig({ TRACEFIX_INSTALL_TOOL_PATH: '/opt/pnpm-9/bin: /opt/yarn-1/bin:' }).install.toolPath, ['/opt/pnpm-9/bin', '/opt/yarn-1/bin']);
  });

  it('refuses a relative directory, naming the variable and the entry', () => {
    assert.throws(
      () => loadConfig({ TRACEFIX_INSTALL_TOOL_PATH: '/opt/pnpm/bin:tools/bin' }),
      (error: unknown) => error instanceof ConfigError && /TRACEFIX_INSTALL_TOOL_PATH/.test(error.message) && /must be absolute directories .*"tools\/bin"/.test(error.message),
    );
  });
});
