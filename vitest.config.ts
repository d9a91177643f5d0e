import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Integration tests start real git, sshd and browsers; the machines are shared and slow at times.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
});
