/**
 * Where the next clone would go, checked as the user types (`clone.checkDestination`, after a
 * short pause, the request before cancelled), and a missing parent created on request
 * (`clone.createFolder`). Only the answer to the latest request is kept, with what it was for,
 * so the panel never shows a verdict about a path no longer in the fields.
 */
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { DestinationCheck, HelperClient, ParamsOf } from '../../../shared/contract';
import { toErrorInfo, type ErrorInfo } from './errors';

export const destinationCheckDebounceMs = 250;

export type DestinationRequest = ParamsOf<'clone.checkDestination'>;

export interface CloneDestinationSlice {
  /** The parent folder typed (or picked) in the Clone panel this session; undefined: the default clone folder. */
  parentDirectory?: string;
  setParentDirectory(parentDirectory: string): void;
  /** What was last asked about (the verdict below answers it once `pending` is false). */
  request?: DestinationRequest;
  pending: boolean;
  result?: DestinationCheck;
  error?: ErrorInfo;
  creating: boolean;
  createError?: ErrorInfo;
  /** Checks after a pause; `immediate` (after creating a folder, after a clone ended) checks now, even the same request. */
  check(request: DestinationRequest, options?: { immediate?: boolean }): void;
  /** Checks now and answers the verdict (Clone asks once more before starting: the fields may have just changed). */
  checkNow(request: DestinationRequest): Promise<DestinationCheck | undefined>;
  /** Creates the missing parent folder, then checks again. */
  createParent(): Promise<void>;
}

export const sameRequest = (a: DestinationRequest | undefined, b: DestinationRequest) =>
  a !== undefined &&
  a.parentDirectory === b.parentDirectory &&
  a.name === b.name &&
  a.repository?.primaryBaseUrl === b.repository?.primaryBaseUrl &&
  a.repository?.projectKey === b.repository?.projectKey &&
  a.repository?.slug === b.repository?.slug;

export function createCloneDestinationSlice(client: HelperClient | undefined, options: { debounceMs?: number } = {}): StoreApi<CloneDestinationSlice> {
  const debounceMs = options.debounceMs ?? destinationCheckDebounceMs;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let inFlight: AbortController | undefined;

  return createStore<CloneDestinationSlice>()((set, get) => {
    const ask = async (request: DestinationRequest): Promise<DestinationCheck | undefined> => {
      inFlight?.abort();
      if (!client) return undefined;
      const controller = (inFlight = new AbortController());
      try {
        const result = await client.call('clone.checkDestination', request, { signal: controller.signal });
        if (inFlight === controller) set({ pending: false, result, error: undefined });
        return result;
      } catch (error) {
        if (inFlight === controller) set({ pending: false, result: undefined, error: toErrorInfo(error) });
        return undefined;
      }
    };

    return {
      pending: false,
      creating: false,
      setParentDirectory: (parentDirectory) => set({ parentDirectory }),
      checkNow(request) {
        clearTimeout(timer);
        set({ request, pending: true, result: undefined, error: undefined, createError: undefined });
        return ask(request);
      },
      check(request, checkOptions = {}) {
        if (sameRequest(get().request, request) && !checkOptions.immediate) return;
        clearTimeout(timer);
        inFlight?.abort();
        set({ request, pending: true, result: undefined, error: undefined, createError: undefined });
        if (checkOptions.immediate) void ask(request);
        else timer = setTimeout(() => void ask(request), debounceMs);
      },
      async createParent() {
        const { result, request } = get();
        if (!client || result?.state !== 'parent-missing' || !request) return;
        set({ creating: true, createError: undefined });
        try {
          await client.call('clone.createFolder', { path: result.parent });
          set({ creating: false });
          get().check(request, { immediate: true });
        } catch (error) {
          set({ creating: false, createError: toErrorInfo(error) });
        }
      },
    };
  });
}
