/**
 * electron-builder.yml, checked by electron-builder's own schema (it cannot package here: that
 * downloads Electron), and the mirror-clone:// scheme main registers is the one the installers
 * declare: the protocols list (macOS) and the Linux desktop entry's MimeType.
 */
import { describe, expect, it } from 'vitest';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { appLinkScheme } from '../../electron/main/app-link-handover';

const require = createRequire(import.meta.url);
const yaml = require('js-yaml') as { load(text: string): unknown };
const { validateConfiguration } = require('app-builder-lib/out/util/config/config.js') as { validateConfiguration(config: unknown, logger: unknown): Promise<void> };
const { DebugLogger } = require('builder-util') as { DebugLogger: new (enabled: boolean) => unknown };

interface BuilderConfig {
  protocols?: { name: string; schemes: string[] }[];
  linux?: { desktop?: { entry?: Record<string, string> } };
}

const load = async () => yaml.load(await readFile(new URL('../../electron-builder.yml', import.meta.url), 'utf8')) as BuilderConfig;

describe('packaging configuration', () => {
  it('is valid for electron-builder, and a mistake in it would be caught', async () => {
    const config = await load();
    await expect(validateConfiguration(config, new DebugLogger(false))).resolves.toBeUndefined();
    await expect(validateConfiguration({ ...config, protocol: config.protocols }, new DebugLogger(false))).rejects.toThrow(/unknown property 'protocol'/);
  });

  it('declares the scheme main registers, for macOS and in the Linux desktop entry', async () => {
    const config = await load();
    expect(config.protocols?.flatMap((protocol) => protocol.schemes)).toEqual([appLinkScheme]);
    expect(config.linux?.desktop?.entry?.MimeType?.split(';')).toContain(`x-scheme-handler/${appLinkScheme}`);
  });
});
