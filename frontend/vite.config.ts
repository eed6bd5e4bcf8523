import { defineConfig } from 'vitest/config';
import react from '@vitejs/plugin-react';
import { fileURLToPath } from 'node:url';

// The gateway is the only backend the browser talks to; in dev we proxy to it so the app is
// same-origin exactly as in production (gateway-served or nginx-served).
const gateway = process.env.GATEWAY_URL ?? 'http://localhost:8000';

export default defineConfig({
  plugins: [react()],
  resolve: {
    // monaco-editor's package exports map every subpath to a .js file, so its CSS is reached by alias.
    alias: [
      {
        find: /^monaco-css\/(.*)$/,
        replacement:
          fileURLToPath(new URL('./node_modules/monaco-editor/esm/vs/', import.meta.url)) + '$1',
      },
    ],
  },
  server: {
    proxy: {
      '/api': { target: gateway, changeOrigin: true, ws: true },
    },
  },
  preview: {
    proxy: {
      '/api': { target: gateway, changeOrigin: true, ws: true },
    },
  },
  build: {
    // Monaco's editor core is one large chunk by nature; warn only beyond it.
    chunkSizeWarningLimit: 4000,
    sourcemap: false,
  },
  worker: { format: 'es' },
  test: {
    environment: 'jsdom',
    include: ['src/**/*.test.ts', 'src/**/*.test.tsx'],
  },
});
