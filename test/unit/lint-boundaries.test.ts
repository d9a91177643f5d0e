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
    ['electron/helper/transfer/violation.ts', "import { runClone } from '../clone/run-clone';\nexport const x = runClone;\n"],
    ['electron/helper/transfer/violation.ts', "import type { CacheDeps } from '../cache/local-mirrors';\nexport type X = CacheDeps;\n"],
    ['electron/helper/transfer/violation.ts', "import { app } from 'electron';\nexport const x = app;\n"],
    ['electron/helper/cache/violation.ts', "import { topUpFromPrimary } from '../clone/top-up';\nexport const x = topUpFromPrimary;\n"],
    ['electron/helper/cache/violation.ts', "import { app } from 'electron';\nexport const x = app;\n"],
  ])('%s: a forbidden import fails lint', async (file, code) => {
    expect(await restrictedImports(file, code)).not.toEqual([]);
  });

  it.each([
    ['renderer/src/fine.ts', "import { z } from 'zod';\nexport const x = z;\n"],
    ['electron/helper/fine.ts', "import path from 'node:path';\nexport const x = path;\n"],
    ['electron/main/fine.ts', "import { app } from 'electron';\nexport const x = app;\n"],
    ['electron/helper/cache/fine.ts', "import { orderSources } from '../transfer/sources';\nexport const x = orderSources;\n"],
    ['electron/helper/clone/fine.ts', "import { localMirrorId } from '../cache/local-mirrors';\nexport const x = localMirrorId;\n"],
    ['electron/helper/transfer/fine.ts', "import { fetchRemote } from '../git/fetch';\nexport const x = fetchRemote;\n"],
  ])('%s: an allowed import passes', async (file, code) => {
    expect(await restrictedImports(file, code)).toEqual([]);
  });
});
