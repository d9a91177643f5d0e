/** Which git we run, and comparing its version against what a feature needs. */

export interface GitBinary {
  /** Absolute path of the executable (or a name PATH resolves, for an unresolved default). */
  path: string;
  /** e.g. '2.39.5'; from `git version 2.39.5`, `2.37.1 (Apple Git-137.1)` or `2.45.1.windows.1`. */
  version: string;
}

/** Features and the first git version that has them. */
export const gitFeatures = {
  /** GIT_CONFIG_COUNT/KEY/VALUE: how credentials reach git (environment.ts). */
  configEnv: '2.31',
  /** `--end-of-options`, used before revisions that must never read as options. */
  endOfOptions: '2.24',
} as const;

/** The dotted version out of `git --version` output, or undefined. */
export function parseGitVersion(output: string): string | undefined {
  return /git version (\d+(?:\.\d+){1,2})/.exec(output)?.[1];
}

function parts(version: string): number[] {
  if (!/^\d+(\.\d+)*$/.test(version)) throw new TypeError(`not a version: ${JSON.stringify(version)}`);
  return version.split('.').map(Number);
}

/** True when `binary` (or a version string) is at least `minimum`, e.g. gitVersionAtLeast(git, '2.31'). */
export function gitVersionAtLeast(binary: GitBinary | string, minimum: string): boolean {
  const have = parts(typeof binary === 'string' ? binary : binary.version);
  const want = parts(minimum);
  for (let i = 0; i < Math.max(have.length, want.length); i++) {
    const a = have[i] ?? 0;
    const b = want[i] ?? 0;
    if (a !== b) return a > b;
  }
  return true;
}
