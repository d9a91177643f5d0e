import { describe, expect, it } from 'vitest';
import { clientFromBridge, ContractError, createContractClient, exposeAsBridge } from '../../shared/contract';
import { createDispatcher } from '../../electron/helper/rpc/dispatcher';
import { connectInProcess } from '../../electron/helper/transports/in-process';
import { silentLogger } from '../../electron/helper/logger';

/** Electron's contextBridge copies values; structuredClone is the closest stand-in outside Electron. */
function acrossWorlds<T>(value: T): T {
  return structuredClone(value);
}

describe('the preload bridge', () => {
  it('carries typed errors across as plain data and turns them back into ContractErrors', async () => {
    const dispatcher = createDispatcher(
      {
        'helper.info': () => {
          throw new ContractError('NOT_FOUND', 'No such repository.', { hint: 'Check the project key.' });
        },
      },
      silentLogger,
    );
    const preloadClient = createContractClient();
    preloadClient.attach(connectInProcess(dispatcher));
    const bridge = exposeAsBridge(preloadClient);
    const renderer = clientFromBridge({ ...bridge, call: async (...args) => acrossWorlds(await bridge.call(...args)) });

    const error = await renderer.call('helper.info', {}).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ContractError);
    expect(error).toMatchObject({ code: 'NOT_FOUND', hint: 'Check the project key.' });
  });

  it('cancels by id when the renderer aborts', async () => {
    let aborted = false;
    const dispatcher = createDispatcher(
      {
        'helper.info': (_params, context) =>
          new Promise((_resolve, reject) => {
            context.signal.addEventListener('abort', () => {
              aborted = true;
              reject(context.signal.reason);
            });
          }),
      },
      silentLogger,
    );
    const preloadClient = createContractClient();
    preloadClient.attach(connectInProcess(dispatcher));
    const renderer = clientFromBridge(exposeAsBridge(preloadClient));
    const controller = new AbortController();
    const call = renderer.call('helper.info', {}, { signal: controller.signal });
    await new Promise((resolve) => setTimeout(resolve, 5));
    controller.abort();
    await expect(call).rejects.toMatchObject({ code: 'CANCELLED' });
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(aborted).toBe(true);
  });
});
