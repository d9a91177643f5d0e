/** An executable that does nothing, for tests that only ask whether a program is found on a PATH. */
import { chmod, mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';

export async function placeholderProgram(directory: string, name: string): Promise<string> {
  await mkdir(directory, { recursive: true });
  const file = path.join(directory, name);
  await writeFile(file, '#!/bin/sh\n');
  await chmod(file, 0o755);
  return file;
}
