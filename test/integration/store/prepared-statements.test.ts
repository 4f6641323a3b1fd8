// Named prepared statements (QueryOptions.name) on both engines: the same answers as plain
// queries, a failed execution leaves the session usable, and PGlite re-prepares a lost statement.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ENGINES, pgliteDb } from '../../helpers/databases.ts';

for (const engine of ENGINES) {
  describe(`prepared statements on ${engine.name}`, () => {
    test('run with parameters, again and again, and survive a failed execution', async (t) => {
      const { db, drop } = await engine.open();
      t.after(drop);
      const add = (n: unknown) => db.query<{ n: number }>('select $1::int + 1 as n, $2::json as doc', [n, { a: [1] }], { name: 'tf_test_add' });
      assert.deepEqual(await add('41'), [{ n: 42, doc: { a: [1] } }]);
      assert.deepEqual(await add(1), [{ n: 2, doc: { a: [1] } }]);
      await assert.rejects(add('not a number'), (e: { code?: string }) => e.code === '22P02');
      assert.deepEqual(await add(2), [{ n: 3, doc: { a: [1] } }]);
      assert.deepEqual(await db.query('select 5 as n'), [{ n: 5 }]);
      const text = await db.query('select $1::text as t, $2::text as missing, $3::text as empty', ['héllo ✓ 😀', null, ''], { name: 'tf_test_text' });
      assert.deepEqual(text, [{ t: 'héllo ✓ 😀', missing: null, empty: '' }]);
      // Inside a transaction the name may be ignored, never the statement.
      const inTx = await db.transaction((tx) => tx.query<{ n: number }>('select $1::int as n', [7], { name: 'tf_test_tx' }));
      assert.deepEqual(inTx, [{ n: 7 }]);
    });
  });
}

describe('prepared statements on pglite', () => {
  test('one the session lost (DEALLOCATE) fails once and is prepared again', async (t) => {
    const { db, drop } = await pgliteDb();
    t.after(drop);
    assert.deepEqual(await db.query('select $1::int as n', [1], { name: 'tf_test_lost' }), [{ n: 1 }]);
    await db.exec('deallocate all');
    await assert.rejects(db.query('select $1::int as n', [2], { name: 'tf_test_lost' }), (e: { code?: string }) => e.code === '26000');
    assert.deepEqual(await db.query('select $1::int as n', [3], { name: 'tf_test_lost' }), [{ n: 3 }]);
  });
});
