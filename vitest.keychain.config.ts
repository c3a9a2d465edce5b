import { defineConfig } from 'vitest/config';

// The keychain suite talks to a real OS keychain (Secret Service over D-Bus on Linux), so it runs
// separately: `npm run test:keychain`, inside `dbus-run-session` with an unlocked gnome-keyring in CI.
export default defineConfig({
  test: {
    include: ['test/keychain/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
    // One keychain, shared by every test file: run the files one after another.
    fileParallelism: false,
  },
});
