import { defineConfig } from 'vitest/config';
import react from '@vitejs/plugin-react';

// The gateway is the only backend the browser talks to; in dev we proxy to it so the app is
// same-origin exactly as in production (gateway-served or nginx-served).
const gateway = process.env.GATEWAY_URL ?? 'http://localhost:8000';

export default defineConfig({
  plugins: [react()],
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
