/** Finding a program the way a shell would, without one: on PATH, or by its full path. */
import { constants } from 'node:fs';
import { access } from 'node:fs/promises';
import path from 'node:path';

export interface OpenEnvironment {
  platform: NodeJS.Platform;
  env: NodeJS.ProcessEnv;
}

async function isExecutable(file: string, platform: NodeJS.Platform): Promise<boolean> {
  return access(file, platform === 'win32' ? constants.F_OK : constants.X_OK).then(
    () => true,
    () => false,
  );
}

/** `name` on PATH as an absolute path; an absolute `name` is taken as it is when executable. */
export async function findProgram(name: string, { platform, env }: OpenEnvironment): Promise<string | undefined> {
  const paths = platform === 'win32' ? path.win32 : path.posix;
  if (paths.isAbsolute(name)) return (await isExecutable(name, platform)) ? name : undefined;
  if (name.includes('/') || name.includes('\\')) return undefined; // relative to what? never the helper's cwd
  const searchPath = env.PATH ?? env.Path ?? '';
  const extensions = platform === 'win32' ? ['.exe', '.com'] : [''];
  for (const directory of searchPath.split(platform === 'win32' ? ';' : ':')) {
    if (!directory || !paths.isAbsolute(directory)) continue; // a relative entry would depend on the cwd
    for (const extension of extensions) {
      const candidate = paths.join(directory, name.toLowerCase().endsWith(extension) ? name : name + extension);
      if (await isExecutable(candidate, platform)) return candidate;
    }
  }
  return undefined;
}

