import { cpSync, existsSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Plugin } from 'vite';
import { defineConfig } from 'vitest/config';
import { svelte } from '@sveltejs/vite-plugin-svelte';

// The UI is embedded in the Go binary (main.go embeds frontend/dist) and served
// from the same origin as /api/, so `npm run dev` proxies the API to a running
// `tramso serve` (TRAMSO_API, default http://127.0.0.1:8080).
// main.go embeds frontend/dist, which must never be empty (a `go build` running
// beside a frontend build would fail) and must keep dist/.gitkeep for a fresh
// clone. So dist is not emptied first; files of older builds go afterwards.
const replaceOldBuild: Plugin = {
  name: 'tramso-replace-old-build',
  writeBundle(_options, bundle) {
    const dist = fileURLToPath(new URL('./dist/', import.meta.url));
    writeFileSync(join(dist, '.gitkeep'), '');
    const assets = join(dist, 'assets');
    if (!existsSync(assets)) return;
    for (const f of readdirSync(assets)) {
      if (!(`assets/${f}` in bundle)) rmSync(join(assets, f));
    }
  },
};

// `tramso pack translations` exports the shell catalogues from the binary
// alone (no source tree on a province laptop), so the build carries a copy of
// src/i18n as plain JSON in dist/i18n.
const copyCatalogues: Plugin = {
  name: 'tramso-copy-catalogues',
  writeBundle() {
    const from = fileURLToPath(new URL('./src/i18n/', import.meta.url));
    const to = fileURLToPath(new URL('./dist/i18n/', import.meta.url));
    rmSync(to, { recursive: true, force: true });
    cpSync(from, to, { recursive: true });
  },
};

export default defineConfig({
  plugins: [svelte(), replaceOldBuild, copyCatalogues],
  base: './',
  build: {
    outDir: 'dist',
    emptyOutDir: false,
    target: 'es2022',
    // The two subset fonts (60 KB each) go into the CSS as data: URLs, so the
    // first frame has its text: in the desktop window a font file is fetched
    // through the UI process, which is busy showing the window just then,
    // and the text waited for it (README "Window budget"). SVGs stay files.
    assetsInlineLimit: (file) => file.endsWith('.woff2'),
    reportCompressedSize: true,
  },
  server: {
    proxy: { '/api': process.env.TRAMSO_API ?? 'http://127.0.0.1:8080' },
  },
  test: {
    include: ['src/**/*.test.ts'],
    environment: 'node',
  },
});
