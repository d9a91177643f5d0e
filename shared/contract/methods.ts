/**
 * The whole contract: every method with its params and result, every event with its payload.
 * Both sides validate against these schemas: the helper its incoming params, the client the
 * results and events it receives.
 */
import type { z } from 'zod';
import { helperEvents, helperMethods } from './domains/helper';
import { primariesMethods } from './domains/primaries';
import { settingsMethods } from './domains/settings';
import { cloneEvents, cloneMethods } from './domains/clone';
import { cloneBatchEvents, cloneBatchMethods } from './domains/clone-batch';
import { browseMethods } from './domains/browse';
import { cacheEvents, cacheMethods } from './domains/cache';
import { discoveryEvents, discoveryMethods } from './domains/discovery';
import { keysMethods } from './domains/keys';
import { networkEvents, networkMethods } from './domains/network';
import { activityEvents, activityMethods } from './domains/activity';
import { teamFileMethods } from './domains/team-file';

export interface MethodDefinition<P extends z.ZodType = z.ZodType, R extends z.ZodType = z.ZodType> {
  params: P;
  result: R;
}

export const methods = {
  ...helperMethods,
  ...primariesMethods,
  ...discoveryMethods,
  ...settingsMethods,
  ...cloneMethods,
  ...cloneBatchMethods,
  ...browseMethods,
  ...cacheMethods,
  ...keysMethods,
  ...networkMethods,
  ...activityMethods,
  ...teamFileMethods,
} satisfies Record<string, MethodDefinition>;

export const events = {
  ...helperEvents,
  ...discoveryEvents,
  ...cloneEvents,
  ...cloneBatchEvents,
  ...cacheEvents,
  ...networkEvents,
  ...activityEvents,
} satisfies Record<string, z.ZodType>;

export type Methods = typeof methods;
export type MethodName = keyof Methods;
export type ParamsOf<M extends MethodName> = z.input<Methods[M]['params']>;
export type ResultOf<M extends MethodName> = z.output<Methods[M]['result']>;

export type Events = typeof events;
export type EventName = keyof Events;
export type PayloadOf<E extends EventName> = z.output<Events[E]>;

export function isMethodName(name: string): name is MethodName {
  return Object.hasOwn(methods, name);
}

export function isEventName(name: string): name is EventName {
  return Object.hasOwn(events, name);
}
