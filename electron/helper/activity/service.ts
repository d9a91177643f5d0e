/** `activity.*` methods: the history, newest first. */
import type { Handlers } from '../rpc/dispatcher';
import type { ActivityLog } from './log';

export function createActivityService(log: ActivityLog): Pick<Handlers, 'activity.list'> {
  return {
    'activity.list': ({ limit }) => log.list(limit),
  };
}
