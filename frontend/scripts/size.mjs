// Gzipped size of the built JS and CSS (fonts and media excluded), against the
// 150 KB budget. Run after `npm run build`: `npm run size`. The two fonts are
// inlined into the CSS (vite.config.ts) and are left out of the count.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

const dir = new URL('../dist/assets/', import.meta.url).pathname;
let total = 0;
for (const f of readdirSync(dir).filter((f) => /\.(js|css)$/.test(f))) {
  const file = readFileSync(join(dir, f), 'utf8');
  const raw = Buffer.from(file.replace(/url\(\s*["']?data:font\/[^)]*\)/g, 'url()'));
  const gz = gzipSync(raw, { level: 9 }).length;
  total += gz;
  console.log(`${f}\t${raw.length} B without fonts\tgzip ${gz} B`);
}
const html = gzipSync(readFileSync(new URL('../dist/index.html', import.meta.url)), { level: 9 }).length;
total += html;
console.log(`index.html\tgzip ${html} B`);
console.log(`total JS+CSS+HTML gzipped: ${(total / 1024).toFixed(1)} KB (budget 150 KB)`);
