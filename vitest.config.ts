import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['**/*.test.ts'],
    exclude: ['node_modules/**'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    globalSetup: ['test/store/jongodb-setup.ts'],
    // `npm run coverage:mongo` (CI): line coverage of the Mongo engine, printed, failing under 85%.
    coverage: {
      provider: 'v8',
      include: ['core/store/mongo/**/*.ts'],
      exclude: ['**/*.test.ts'],
      reporter: ['text'],
      thresholds: { lines: 85 },
    },
  },
});
