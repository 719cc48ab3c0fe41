import { defineConfig } from 'vitest/config';

/** Unit tests sit beside what they test; e2e/ belongs to Playwright. */
export default defineConfig({
  test: {
    include: ['{profiler,quantization,electron,renderer,scripts}/**/*.test.ts'],
    environment: 'node',
    testTimeout: 30_000,
  },
});
