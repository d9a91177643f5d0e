import { describe, expect, it } from 'vitest';
import { ContractError, createContractClient, type HelperInfo } from '../../shared/contract';
import { createDispatcher, type Handlers, type HelperSideWire } from '../../electron/helper/rpc/dispatcher';
import { connectInProcess } from '../../electron/helper/transports/in-process';
import { silentLogger } from '../../electron/helper/logger';

const info: HelperInfo = {
  name: 'mirror-clone',
  version: '9.9.9',
  pid: 1,
  dataDir: '/tmp/x',
  startedAt: new Date(0).toISOString(),
  platform: 'test',
  nodeVersion: '20',
  transport: 'in-process',
  state: 'ready',
};

function setup(handler: Handlers['helper.info']) {
  const dispatcher = createDispatcher({ 'helper.info': handler }, silentLogger);
  const client = createContractClient();
  client.attach(connectInProcess(dispatcher));
  return { dispatcher, client };
}

/** A raw helper-side conversation, for messages a well-behaved client would never send. */
function rawConnection(handler: Handlers['helper.info']) {
  const dispatcher = createDispatcher({ 'helper.info': handler }, silentLogger);
  const received: unknown[] = [];
  let deliver: (message: unknown) => void = () => {};
  const closeListeners = new Set<() => void>();
  const wire: HelperSideWire = {
    send: (message) => received.push(message),
    onMessage: (listener) => {
      deliver = listener;
      return () => {};
    },
    onClose: (listener) => {
      closeListeners.add(listener);
      return () => closeListeners.delete(listener);
    },
    close: () => closeListeners.forEach((listener) => listener()),
  };
  dispatcher.connect(wire, 'in-process');
  return { send: (message: unknown) => deliver(message), received, close: () => wire.close(), dispatcher };
}

const flush = () => new Promise((resolve) => setTimeout(resolve, 10));

describe('the helper edge', () => {
  it('answers a valid call with a result that passes the contract', async () => {
    const { client } = setup(() => info);
    await expect(client.call('helper.info', {})).resolves.toEqual(info);
  });

  it('answers malformed messages with typed errors and keeps serving', async () => {
    const connection = rawConnection(() => info);
    connection.send('not an object');
    connection.send({ type: 'request', method: 'helper.info' }); // no id
    connection.send({ type: 'request', id: 'a', method: 'no.such.method', params: {} });
    connection.send({ type: 'request', id: 'b', method: 'helper.info', params: { unexpected: true } });
    connection.send({ type: 'request', id: 'c', method: 'helper.info', params: {} });
    await flush();
    const codes = connection.received.map((message) => {
      const response = message as { id: string | null; ok: boolean; error?: { code: string } };
      return [response.id, response.ok ? 'ok' : response.error!.code];
    });
    expect(codes).toEqual([
      [null, 'BAD_MESSAGE'],
      [null, 'BAD_MESSAGE'],
      ['a', 'UNKNOWN_METHOD'],
      ['b', 'INVALID_PARAMS'],
      ['c', 'ok'],
    ]);
  });

  it('reports the failing parameter by path', async () => {
    const connection = rawConnection(() => info);
    connection.send({ type: 'request', id: 'x', method: 'helper.info', params: { extra: 1 } });
    await flush();
    const [response] = connection.received as { error: { details: { issues: { message: string }[] } } }[];
    expect(response!.error.details.issues.length).toBeGreaterThan(0);
  });

  it('passes a ContractError through with its code and hint, and hides nothing else as INTERNAL', async () => {
    const typed = setup(() => {
      throw new ContractError('UNAUTHORIZED', 'The token was refused.', { hint: 'Create a new HTTP access token.' });
    });
    await expect(typed.client.call('helper.info', {})).rejects.toMatchObject({ code: 'UNAUTHORIZED', hint: 'Create a new HTTP access token.' });

    const untyped = setup(() => {
      throw new Error('disk on fire');
    });
    await expect(untyped.client.call('helper.info', {})).rejects.toMatchObject({ code: 'INTERNAL', message: expect.stringContaining('disk on fire') });
  });

  it('rejects a result that breaks the contract on the client side', async () => {
    const { client } = setup(() => ({ ...info, version: 42 }) as unknown as HelperInfo);
    await expect(client.call('helper.info', {})).rejects.toMatchObject({ code: 'INVALID_RESULT' });
  });

  it('aborts the handler when the client cancels', async () => {
    let handlerSignal: AbortSignal | undefined;
    const { client } = setup(
      (_params, context) =>
        new Promise((_resolve, reject) => {
          handlerSignal = context.signal;
          context.signal.addEventListener('abort', () => reject(context.signal.reason));
        }),
    );
    const controller = new AbortController();
    const call = client.call('helper.info', {}, { signal: controller.signal });
    await flush();
    expect(handlerSignal?.aborted).toBe(false);
    controller.abort();
    await expect(call).rejects.toMatchObject({ code: 'CANCELLED' });
    await flush();
    expect(handlerSignal?.aborted).toBe(true);
  });

  it('aborts in-flight work when a connection closes, and fails the caller with HELPER_UNAVAILABLE', async () => {
    let handlerSignal: AbortSignal | undefined;
    const { client, dispatcher } = setup(
      (_params, context) =>
        new Promise(() => {
          handlerSignal = context.signal;
        }),
    );
    const call = client.call('helper.info', {});
    await flush();
    dispatcher.closeAll();
    await expect(call).rejects.toMatchObject({ code: 'HELPER_UNAVAILABLE' });
    expect(handlerSignal?.aborted).toBe(true);
    expect(client.connectionState).toBe('disconnected');
    expect(dispatcher.connectionCount).toBe(0);
  });

  it('refuses to reuse a request id that is still running', async () => {
    const connection = rawConnection(() => new Promise(() => {}));
    connection.send({ type: 'request', id: 'same', method: 'helper.info', params: {} });
    connection.send({ type: 'request', id: 'same', method: 'helper.info', params: {} });
    await flush();
    expect(connection.received).toEqual([expect.objectContaining({ id: 'same', ok: false, error: expect.objectContaining({ code: 'BAD_MESSAGE' }) })]);
  });

  it('delivers events that match the contract and drops ones that do not', async () => {
    const { client, dispatcher } = setup(() => info);
    const states: string[] = [];
    client.on('helper.state', ({ state }) => states.push(state));
    dispatcher.broadcast('helper.state', { state: 'stopping' });
    dispatcher.broadcast('helper.state', { state: 'exploded' } as never);
    await flush();
    expect(states).toEqual(['stopping']);
  });
});
