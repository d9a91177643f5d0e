/**
 * The process boundaries are lint rules; these feed the real ESLint config deliberate
 * violations and expect them to fail (and clean code to pass).
 */
import { describe, expect, it } from 'vitest';
import { ESLint } from 'eslint';
import path from 'node:path';

const eslint = new ESLint({ cwd: path.resolve(import.meta.dirname, '..', '..') });

async function restrictedImports(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return result!.messages.filter((message) => message.ruleId === 'no-restricted-imports').map((message) => message.message);
}

describe('process boundaries', () => {
  it.each([
    ['renderer/src/violation.ts', "import { readFile } from 'node:fs/promises';\nexport const x = readFile;\n"],
    ['renderer/src/violation.ts', "import fs from 'fs';\nexport const x = fs;\n"],
    ['renderer/src/violation.tsx', "import { ipcRenderer } from 'electron';\nexport const x = ipcRenderer;\n"],
    ['electron/helper/violation.ts', "import { app } from 'electron';\nexport const x = app;\n"],
    ['electron/cli/violation.ts', "import { app } from 'electron';\nexport const x = app;\n"],
    ['shared/violation.ts', "import path from 'node:path';\nexport const x = path;\n"],
    ['shared/violation.ts', "import { app } from 'electron';\nexport const x = app;\n"],
    ['shared/violation.ts', "import { useState } from 'react';\nexport const x = useState;\n"],
  ])('%s: a forbidden import fails lint', async (file, code) => {
    expect(await restrictedImports(file, code)).not.toEqual([]);
  });

  it.each([
    ['renderer/src/fine.ts', "import { z } from 'zod';\nexport const x = z;\n"],
    ['electron/helper/fine.ts', "import path from 'node:path';\nexport const x = path;\n"],
    ['electron/main/fine.ts', "import { app } from 'electron';\nexport const x = app;\n"],
  ])('%s: an allowed import passes', async (file, code) => {
    expect(await restrictedImports(file, code)).toEqual([]);
  });
});
