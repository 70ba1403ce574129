import { svelte } from '@sveltejs/vite-plugin-svelte';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  plugins: [svelte()],
  build: {
    // The CSP allows images and fonts only from the app itself ('self'), so small assets must stay
    // files rather than be inlined as data: URLs that the webview would refuse.
    assetsInlineLimit: 0,
  },
  test: {
    include: ['src/**/*.test.ts'],
  },
});
