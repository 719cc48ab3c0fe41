import vue from '@vitejs/plugin-vue';
import { defineConfig } from 'vitest/config';

/** Unit tests sit beside what they test; e2e/ belongs to Playwright. */
export default defineConfig({
  // .vue components in renderer tests (files that ask for `@vitest-environment happy-dom`)
  plugins: [vue()],
  test: {
    include: ['{common,profiler,quantization,electron,renderer,scripts}/**/*.test.ts'],
    environment: 'node',
    testTimeout: 30_000,
  },
});
