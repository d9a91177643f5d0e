import { parseArgs } from 'node:util';
import { UsageError, type Command } from '../command';

export const logoutCommand: Command = {
  name: 'logout',
  summary: 'Forget a primary and remove its token from the keychain',
  usage: 'mirror-clone logout <primary-url> [--json]',
  async run(args, context) {
    const { positionals } = parseArgs({ args, allowPositionals: true, options: {} });
    if (positionals.length !== 1) throw new UsageError('logout takes exactly one primary URL.');
    const client = await context.client();
    const { removed } = await client.call('primaries.remove', { baseUrl: positionals[0]! }, { signal: context.signal });
    if (context.json) context.stdout.write(`${JSON.stringify({ removed })}\n`);
    else context.stdout.write(removed ? `Forgot ${positionals[0]}.\n` : `${positionals[0]} was not connected.\n`);
    return 0;
  },
};

export const primariesCommand: Command = {
  name: 'primaries',
  summary: 'List connected primaries and the mirrors added by hand',
  usage: 'mirror-clone primaries [--json]',
  async run(args, context) {
    parseArgs({ args, options: {} });
    const client = await context.client();
    const primaries = await client.call('primaries.list', {}, { signal: context.signal });
    if (context.json) {
      context.stdout.write(`${JSON.stringify(primaries)}\n`);
      return 0;
    }
    if (primaries.length === 0) context.stdout.write('No primary connected. Connect one with: mirror-clone login <url>\n');
    for (const primary of primaries) {
      context.stdout.write(`${primary.baseUrl}  ${primary.name}  Bitbucket ${primary.version ?? '?'}${primary.insecure ? '  (plain http: insecure)' : ''}\n`);
      for (const mirror of primary.manualMirrors) {
        const token = mirror.tokenAllowed ? `your token is sent to ${mirror.tokenAllowed.host}` : 'asked without your token';
        context.stdout.write(`  + ${mirror.name}  ${mirror.baseUrl}  (added by hand; ${token})\n`);
      }
    }
    return 0;
  },
};

export const mirrorsCommand: Command = {
  name: 'mirrors',
  summary: 'Add or remove mirrors by hand, for primaries that advertise none',
  usage:
    'mirror-clone mirrors add <name> <mirror-url> [--send-token-to <host>] [--primary <url>] | mirrors allow <name> --send-token-to <host> [--primary <url>] | mirrors deny <name> [--primary <url>] | mirrors remove <name> [--primary <url>]',
  async run(args, context) {
    const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { primary: { type: 'string' }, 'send-token-to': { type: 'string' } } });
    const [action, name, url] = positionals;
    const sendTokenTo = values['send-token-to'];
    const client = await context.client();
    const primaries = await client.call('primaries.list', {}, { signal: context.signal });
    const primary = values.primary ? primaries.find((candidate) => candidate.baseUrl === values.primary!.replace(/\/+$/, '')) : primaries.length === 1 ? primaries[0] : undefined;
    if (!primary) throw new UsageError(values.primary ? `${values.primary} is not a connected primary.` : 'Name the primary with --primary <url>.');
    const primaryHost = new URL(primary.baseUrl).host;
    const named = (wanted: string | undefined) => {
      const mirror = primary.manualMirrors.find((candidate) => candidate.name === wanted);
      if (!mirror) throw new UsageError(`${primary.name} has no mirror added by hand named "${wanted ?? ''}".`);
      return mirror;
    };

    let updated;
    if (action === 'add' && name && url) {
      const mirrors = [...primary.manualMirrors.filter((mirror) => mirror.name !== name), { name, baseUrl: url }];
      updated = await client.call('primaries.setManualMirrors', { baseUrl: primary.baseUrl, mirrors }, { signal: context.signal });
      const added = updated.manualMirrors.find((mirror) => mirror.name === name)!;
      if (sendTokenTo !== undefined) updated = await client.call('primaries.allowTokenForMirror', { baseUrl: primary.baseUrl, mirrorBaseUrl: added.baseUrl, host: sendTokenTo }, { signal: context.signal });
    } else if (action === 'allow' && name && !url) {
      if (sendTokenTo === undefined) {
        const host = new URL(named(name).baseUrl).host;
        throw new UsageError(`Say where your token for ${primaryHost} may go, by name: mirrors allow "${name}" --send-token-to ${host}`);
      }
      updated = await client.call('primaries.allowTokenForMirror', { baseUrl: primary.baseUrl, mirrorBaseUrl: named(name).baseUrl, host: sendTokenTo }, { signal: context.signal });
    } else if (action === 'deny' && name && !url) {
      updated = await client.call('primaries.withdrawTokenForMirror', { baseUrl: primary.baseUrl, mirrorBaseUrl: named(name).baseUrl }, { signal: context.signal });
    } else if (action === 'remove' && name && !url) {
      const mirrors = primary.manualMirrors.filter((mirror) => mirror.name !== name);
      updated = await client.call('primaries.setManualMirrors', { baseUrl: primary.baseUrl, mirrors }, { signal: context.signal });
    } else {
      throw new UsageError('Use `mirrors add <name> <url>`, `mirrors allow <name> --send-token-to <host>`, `mirrors deny <name>` or `mirrors remove <name>`.');
    }
    if (context.json) context.stdout.write(`${JSON.stringify(updated)}\n`);
    else if (action === 'allow' || (action === 'add' && sendTokenTo !== undefined)) context.stdout.write(`Your token for ${primaryHost} is now sent to ${sendTokenTo} (mirror "${name}").\n`);
    else if (action === 'deny') context.stdout.write(`Mirror "${name}" is asked without your token from now on.\n`);
    else context.stdout.write(`${updated.baseUrl} now has ${updated.manualMirrors.length} mirror(s) added by hand.\n`);
    return 0;
  },
};
