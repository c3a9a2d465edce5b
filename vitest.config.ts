import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'test/**/*.test.tsx'],
    exclude: ['test/keychain/**', 'node_modules/**'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
    // Two test files at a time (vitest's default on a 2-CPU machine is one): the browser, Postgres and
    // child-process tests spend much of their time waiting, so the run takes ~5 minutes instead of ~7.
    maxWorkers: 2,
    // limiter's TokenBucket reads performance.now(): fake it with the timers so paced calls advance.
    fakeTimers: {
      toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'setImmediate', 'clearImmediate', 'Date', 'performance'],
    },
  },
});
