// Does Chromium load a preview inside the IDE's iframe (a cross-site frame: localhost vs
// p<port>-<id>.preview.localhost), i.e. does it accept the preview cookie set by the ticket
// redirect there and send it on the frame's next request?
//   node bench/preview/chromium-iframe.mjs <gatewayUrl like http://localhost:8000> <token> <projectId> <port>
// playwright-core must be resolvable (NODE_PATH or frontend/node_modules); uses /usr/bin/chromium.
import { chromium } from 'playwright-core';
import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const [gateway, token, projectId, port] = process.argv.slice(2);
// A stand-in IDE page on a loopback origin of its own that embeds the preview as the preview
// pane does (served for real: Chromium treats intercepted pages as public, and public pages may
// not frame loopback ones).
let framed = '';
const idePage = createServer((req, res) => {
  res.setHeader('Content-Type', 'text/html');
  res.end(`<!doctype html><link rel="icon" href="data:,"><iframe id="p" src="${framed}"></iframe>`);
});
await new Promise((r) => idePage.listen(0, '127.0.0.1', r));
const ide = `http://localhost:${idePage.address().port}`;
const res = await fetch(`${gateway}/api/projects/${projectId}/ports/${port}/preview-session`, {
  method: 'POST',
  headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json', Origin: ide },
  body: JSON.stringify({ path: '/' }),
});
if (res.status !== 200) throw new Error(`preview-session: ${res.status} ${await res.text()}`);
const { url } = await res.json();
framed = url;
const context = await chromium.launchPersistentContext(mkdtempSync(join(tmpdir(), 'h2-chromium-')), {
  executablePath: '/usr/bin/chromium',
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
try {
  const page = context.pages()[0] ?? (await context.newPage());
  await page.goto(`${ide}/ide-frame-test`);
  const deadline = Date.now() + 10_000;
  let text = '';
  while (Date.now() < deadline) {
    const frame = page.frames().find((f) => f !== page.mainFrame());
    if (frame) text = await frame.evaluate(() => document.body?.innerText ?? '').catch(() => '');
    if (text && !text.startsWith('Unauthorized')) break;
    await new Promise((r) => setTimeout(r, 200));
  }
  console.log(JSON.stringify({ framed: url.replace(/ticket=[^&]+/, 'ticket=…'), body: text.slice(0, 200) }));
  process.exitCode = text.trim() === 'ok' || text.includes('preview-app') ? 0 : 1;
} finally {
  await context.close();
  idePage.close();
}
