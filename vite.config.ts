/**
 * The web app (web/): React + Tailwind, built into dist/web, which the server serves with an SPA fallback
 * (src/server/app.ts). `npx vite` runs a dev server that proxies /api and /sandbox to a running crm-migrate
 * (CRM_MIGRATE_URL, default http://localhost:3000): see docs/web.md.
 */
import { fileURLToPath } from 'node:url';
import tailwindcss from '@tailwindcss/vite';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const api = process.env.CRM_MIGRATE_URL ?? 'http://localhost:3000';

export default defineConfig({
  root: fileURLToPath(new URL('./web', import.meta.url)),
  plugins: [react(), tailwindcss()],
  build: {
    outDir: fileURLToPath(new URL('./dist/web', import.meta.url)),
    emptyOutDir: true,
    sourcemap: true,
  },
  server: {
    port: 5173,
    proxy: {
      '/api': { target: api, changeOrigin: false },
      '/sandbox': { target: api, changeOrigin: false },
    },
  },
});
