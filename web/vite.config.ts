import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

const root = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  root,
  plugins: [react()],
  build: {
    outDir: fileURLToPath(new URL('./dist', import.meta.url)),
    emptyOutDir: true,
    // The server's Content-Security-Policy allows only same-origin scripts: no inline modules.
    modulePreload: { polyfill: false },
    assetsInlineLimit: 0,
    // Two pages: the app, and the citizens' page (issue 20), light, with none of the app's code.
    rollupOptions: {
      input: {
        main: fileURLToPath(new URL('./index.html', import.meta.url)),
        citizen: fileURLToPath(new URL('./phan-anh.html', import.meta.url)),
      },
    },
  },
  server: {
    proxy: { '/api': 'http://127.0.0.1:3000' },
  },
});
