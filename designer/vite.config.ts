// Vite configuration of the designer: TSX through Vite's built-in oxc transform; output in designer/dist.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const runtime = process.env.IVR_RUNTIME_URL ?? 'http://127.0.0.1:12121';

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/',
  oxc: { jsx: { runtime: 'automatic' } },
  resolve: {
    // schema/serialize.ts uses xmlbuilder2, whose Node entry needs `events` and `url`; its browser bundle does not.
    alias: [{ find: /^xmlbuilder2$/, replacement: 'xmlbuilder2/lib/xmlbuilder2.min.js' }],
  },
  build: { outDir: 'dist', emptyOutDir: true, chunkSizeWarningLimit: 3000 },
  server: {
    // The designer imports ../schema: let the dev server read the repository root.
    fs: { allow: [fileURLToPath(new URL('..', import.meta.url))] },
    // /api/live is Server-Sent Events (streamed as is); /bridge and /Oms are the manual's interfaces the operations
    // view calls.
    proxy: { '/api': { target: runtime, ws: true }, '/sounds': runtime, '/bridge': runtime, '/Oms': runtime },
  },
});
