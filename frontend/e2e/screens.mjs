#!/usr/bin/env node
// Dev-only: screenshots of the IDE's workspace features without a stack. Serves the built UI
// (frontend/dist, `npm run build`) and answers /api with canned data through Playwright's request
// and WebSocket routing, so the Ports panel, preview pane, sessions menu, idle warning, stopped
// terminal and settings dialog can be looked at. Nothing here ships; the journey tests the real thing.
//   node e2e/screens.mjs [out-dir]
import { chromium } from 'playwright-core';
import { createServer } from 'node:http';
import { mkdirSync, readFileSync, existsSync } from 'node:fs';
import { extname, join, resolve } from 'node:path';

const DIST = resolve(new URL('.', import.meta.url).pathname, '../dist');
const OUT = resolve(process.argv[2] ?? '/tmp/constellation-screens');
const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';
mkdirSync(OUT, { recursive: true });
if (!existsSync(join(DIST, 'index.html'))) {
  console.error(`no ${DIST}/index.html: run npm run build first`);
  process.exit(1);
}

const TYPES = {
  '.html': 'text/html',
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.svg': 'image/svg+xml',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
};
const server = createServer((req, res) => {
  const path = new URL(req.url, 'http://x').pathname;
  const file = join(DIST, path);
  const body =
    path !== '/' && existsSync(file) && !file.endsWith('/') ? file : join(DIST, 'index.html');
  try {
    res.writeHead(200, { 'content-type': TYPES[extname(body)] ?? 'application/octet-stream' });
    res.end(readFileSync(body));
  } catch {
    res.writeHead(200, { 'content-type': 'text/html' });
    res.end(readFileSync(join(DIST, 'index.html')));
  }
});
await new Promise((r) => server.listen(0, '127.0.0.1', r));
const BASE = `http://localhost:${server.address().port}`;
const PREVIEW = `http://p3000-p1.preview.localhost:${server.address().port}/`;

const me = {
  id: 'u1',
  email: 'ada@example.com',
  displayName: 'Ada',
  roles: ['USER'],
  preferences: { autoStartWorkspace: false },
};
const project = {
  id: 'p1',
  name: 'shop-api',
  description: 'The demo shop',
  ownerId: 'u1',
  members: [{ userId: 'u1', role: 'OWNER' }],
  createdAt: '2026-01-01T00:00:00Z',
  updatedAt: '2026-01-01T00:00:00Z',
};
const sessions = [
  { id: 's1', title: 'server', command: 'node', createdAt: '2026-01-01T00:00:00Z', attached: true },
  { id: 's2', title: 'tests', command: 'bash', createdAt: '2026-01-01T00:00:01Z', attached: true },
];
let status = 'RUNNING';
let extraEvents = '';
const sse = () =>
  `event: status\ndata: ${JSON.stringify({ projectId: 'p1', status, phase: status === 'RUNNING' ? 'ready' : status.toLowerCase(), runtime: 'docker' })}\n\n` +
  (status === 'RUNNING'
    ? `event: ports\ndata: ${JSON.stringify({
        ports: [
          { port: 3000, url: PREVIEW },
          { port: 5173, url: PREVIEW.replace('3000', '5173') },
        ],
      })}\n\n`
    : '') +
  extraEvents;

const context = await chromium.launchPersistentContext('', {
  executablePath: CHROMIUM,
  headless: true,
  viewport: { width: 1440, height: 860 },
  args: ['--no-sandbox', '--disable-gpu'],
});
const page = context.pages()[0] ?? (await context.newPage());
await context.route(/preview\.localhost/, (r) =>
  r.fulfill({
    contentType: 'text/html',
    body: '<body style="font-family:sans-serif"><h1>Hello from Constellation</h1><p>GET / -&gt; 200</p></body>',
  }),
);
await page.route('**/api/**', async (route) => {
  const url = new URL(route.request().url());
  const p = url.pathname;
  const m = route.request().method();
  const json = (body, s = 200) =>
    route.fulfill({ status: s, contentType: 'application/json', body: JSON.stringify(body) });
  if (p === '/api/auth/me') return json(me);
  if (p === '/api/projects/p1') return json(project);
  if (p.endsWith('/workspace/events'))
    return route.fulfill({ status: 200, contentType: 'text/event-stream', body: sse() });
  if (p.endsWith('/workspace')) return json({ projectId: 'p1', status, runtime: 'docker' });
  if (p.endsWith('/ports'))
    return json([
      {
        port: 3000,
        url: PREVIEW,
        share: {
          url: 'http://p3000-p1.preview.localhost:8000/?share=…',
          expiresAt: new Date(Date.now() + 3600e3).toISOString(),
        },
      },
      { port: 5173, url: PREVIEW.replace('3000', '5173'), share: null },
    ]);
  if (p.endsWith('/preview-session')) return json({ url: PREVIEW });
  if (p.endsWith('/terminals')) return json(status === 'RUNNING' ? sessions : []);
  if (p.endsWith('/terminal/ticket')) return json({ ticket: 't', expiresIn: 30 });
  if (p.endsWith('/workspace/settings'))
    return json({
      image: 'constellation/workspace:local',
      memoryMb: 2048,
      cpus: 2,
      limits: {
        images: ['constellation/workspace:local', 'constellation/workspace:python'],
        maxMemoryMb: 8192,
        maxCpus: 4,
      },
    });
  if (p.endsWith('/files'))
    return json([
      { name: 'src', path: 'src', type: 'dir' },
      { name: 'package.json', path: 'package.json', type: 'file', size: 120 },
      { name: 'README.md', path: 'README.md', type: 'file', size: 80 },
    ]);
  if (p.includes('/conversations')) return json({ items: [], page: 0, size: 50, total: 0 });
  if (m !== 'GET') return json({});
  return json([]);
});
await page.routeWebSocket(/\/terminal\?/, (ws) => {
  const session = new URL(ws.url()).searchParams.get('session') ?? 's9';
  const s = sessions.find((x) => x.id === session) ?? { id: session, title: 'bash' };
  ws.send(JSON.stringify({ type: 'session', id: s.id, title: s.title }));
  const text =
    s.id === 's1'
      ? '~/workspace$ npm start\r\n\r\n> app@0.1.0 start\r\n> node src/server.js\r\n\r\nlistening on http://localhost:3000\r\n'
      : '~/workspace$ npm test\r\n# tests 1\r\n# pass 1\r\n~/workspace$ ';
  ws.send(Buffer.from(text));
});
await page.goto(BASE + '/');
await page.evaluate(() =>
  localStorage.setItem(
    'constellation.tokens',
    JSON.stringify({ accessToken: 'a', refreshToken: 'r' }),
  ),
);

await page.goto(BASE + '/projects/p1');
await page.waitForSelector('[data-testid=port-item][data-port="3000"]');
await page.waitForTimeout(800);
await page.locator('[data-testid=port-item][data-port="3000"] [data-testid=port-preview]').click();
await page.frameLocator('[data-testid=preview-frame]').locator('h1').waitFor();
await page.waitForTimeout(500);
await page.screenshot({ path: join(OUT, 'ui-ports-preview.png') });

await page.getByTestId('sessions-menu').click();
await page.waitForSelector('[data-testid=session-item]');
await page.screenshot({ path: join(OUT, 'ui-sessions.png') });
await page.getByTestId('sessions-menu').click();

await page.locator('[data-testid=port-item][data-port="5173"] [data-testid=port-share]').click();
await page.screenshot({ path: join(OUT, 'ui-share.png') });

await page.getByTestId('project-settings').click();
await page.waitForSelector('[data-testid=settings-image]');
await page.screenshot({ path: join(OUT, 'ui-settings.png') });
await page.keyboard.press('Escape');

extraEvents = `event: idle-warning\ndata: ${JSON.stringify({ stopsAt: new Date(Date.now() + 60_000).toISOString() })}\n\n`;
await page.reload();
await page.waitForSelector('[data-testid=idle-warning]');
await page.screenshot({ path: join(OUT, 'ui-idle-warning.png') });

extraEvents = '';
status = 'STOPPED';
await page.reload();
await page.waitForSelector('[data-testid=terminal-stopped]');
await page.locator('[data-testid=terminal]:visible .xterm').click();
await page.keyboard.type('l');
await page.waitForSelector('[data-testid=confirm-start]');
await page.screenshot({ path: join(OUT, 'ui-stopped-ask-start.png') });

await context.close();
server.close();
console.log(`screenshots in ${OUT}`);
