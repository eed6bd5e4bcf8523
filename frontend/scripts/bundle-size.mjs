// Prints raw and gzipped sizes of the production bundle (dist/assets), largest first, and the
// size of what the first page load needs (index.html's entry script and CSS plus their static imports).
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

const dist = new URL('../dist/', import.meta.url).pathname;
const assets = join(dist, 'assets');
const kib = (n) => `${(n / 1024).toFixed(1)} KiB`;

const files = readdirSync(assets)
  .filter((f) => statSync(join(assets, f)).isFile())
  .map((f) => {
    const buf = readFileSync(join(assets, f));
    return { file: f, raw: buf.length, gzip: gzipSync(buf, { level: 9 }).length };
  })
  .sort((a, b) => b.gzip - a.gzip);

const html = readFileSync(join(dist, 'index.html'), 'utf8');
const entry = new Set([...html.matchAll(/assets\/([^"']+)/g)].map((m) => m[1]));
// Follow static imports of the entry (not dynamic import()) to get the initial download.
const queue = [...entry].filter((f) => f.endsWith('.js'));
while (queue.length) {
  const f = queue.pop();
  const src = readFileSync(join(assets, f), 'utf8');
  for (const m of src.matchAll(
    /(?:^|[;\n}])\s*import\s*(?:[^'"()]*?from\s*)?["']\.\/([^"']+\.js)["']/g,
  )) {
    if (!entry.has(m[1])) {
      entry.add(m[1]);
      queue.push(m[1]);
    }
  }
}

const sum = (list, k) => list.reduce((a, f) => a + f[k], 0);
const group = (pred) => files.filter(pred);
const workers = group((f) => /worker/i.test(f.file));
const initial = group((f) => entry.has(f.file));

console.log('\nProduction bundle (dist/assets):');
for (const f of files.slice(0, 12))
  console.log(
    `  ${f.file.padEnd(48)} ${kib(f.raw).padStart(11)}  gzip ${kib(f.gzip).padStart(10)}`,
  );
if (files.length > 12) console.log(`  … ${files.length - 12} more files`);
const summary = {
  files: files.length,
  totalRaw: sum(files, 'raw'),
  totalGzip: sum(files, 'gzip'),
  initialGzip: sum(initial, 'gzip'),
  workersGzip: sum(workers, 'gzip'),
};
console.log(
  `  total: ${files.length} files, ${kib(summary.totalRaw)} raw, ${kib(summary.totalGzip)} gzipped`,
);
console.log(
  `  first load (login/dashboard, entry + static imports): ${kib(summary.initialGzip)} gzipped`,
);
console.log(`  web workers (loaded on demand): ${kib(summary.workersGzip)} gzipped`);
writeFileSync(
  join(dist, 'bundle-size.json'),
  JSON.stringify({ ...summary, largest: files.slice(0, 12) }, null, 2),
);
