import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { filesOf, fullNamePattern, jsTestId, parseJsTestId } from '../../../src/runners/js-test-ids.ts';
import { escapeRegExp, pythonInterpreter, shellWithArgs } from '../../../src/runners/shell.ts';
import { displayPath, isDependencyPath, toWorkspacePath } from '../../../src/runners/paths.ts';

describe('JS test ids', () => {
  it('round-trips file and titles', () => {
    const id = jsTestId('test/a.test.js', ['outer', 'inner', 'does (x)']);
    assert.equal(id, 'test/a.test.js::outer > inner > does (x)');
    assert.deepEqual(parseJsTestId(id), { file: 'test/a.test.js', titles: ['outer', 'inner', 'does (x)'] });
  });

  it('builds an anchored pattern that accepts space or " > " between titles', () => {
    const re = new RegExp(fullNamePattern(['f.js::outer > does (x) [1.5]?']));
    assert.ok(re.test('outer does (x) [1.5]?'));
    assert.ok(re.test('outer > does (x) [1.5]?'));
    assert.ok(!re.test('outer does (x) [1.5]? too'));
    assert.ok(!re.test('my outer does (x) [1.5]?'));
    const two = new RegExp(fullNamePattern(['f.js::a > b', 'g.js::c']));
    assert.ok(two.test('a b') && two.test('c') && !two.test('a'));
    assert.deepEqual(filesOf(['f.js::a', 'g.js::b', 'f.js::c']), ['f.js', 'g.js']);
  });
});

describe('shell and path helpers', () => {
  it('appends arguments through "$@" so the shell never re-parses them', () => {
    assert.deepEqual(shellWithArgs('npx jest', ['-t', '^a b$; rm -rf /']), ['sh', '-c', 'npx jest "$@"', 'sh', '-t', '^a b$; rm -rf /']);
    assert.equal(escapeRegExp('a.b*(c)/d'), 'a\\.b\\*\\(c\\)\\/d');
  });

  it('finds a python interpreter in a test command', () => {
    assert.equal(pythonInterpreter('python3 -m pytest'), 'python3');
    assert.equal(pythonInterpreter('.venv/bin/python -m pytest -x'), '.venv/bin/python');
    assert.equal(pythonInterpreter('poetry run pytest'), 'python3');
  });

  it('makes reported paths workspace-relative', () => {
    assert.equal(toWorkspacePath('/workspace/src/a.js', '/workspace'), 'src/a.js');
    assert.equal(toWorkspacePath('file:///workspace/src/a%20b.js?vitest=123', '/workspace'), 'src/a b.js');
    assert.equal(toWorkspacePath('/elsewhere/a.js', '/workspace'), undefined);
    assert.equal(toWorkspacePath('tests/test_a.py', '/workspace'), 'tests/test_a.py');
    assert.equal(displayPath('/elsewhere/a.js', '/workspace'), '/elsewhere/a.js');
    assert.ok(isDependencyPath('node_modules/x/index.js'));
    assert.ok(isDependencyPath('.venv/lib/python3.12/site-packages/x.py'));
    assert.ok(!isDependencyPath('src/node_modules_helper.js'));
  });
});
