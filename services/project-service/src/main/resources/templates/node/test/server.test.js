import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from '../src/server.js';

test('answers with a greeting', async () => {
  const server = createServer().listen(0);
  const { port } = server.address();
  try {
    const response = await fetch(`http://127.0.0.1:${port}/hello`);
    assert.equal(response.status, 200);
    assert.deepEqual(await response.json(), { message: 'Hello from Constellation', path: '/hello' });
  } finally {
    server.close();
  }
});
