/** The activity history (clones, switches, failed syncs), oldest first, capped: see activity/log.ts. */
import { activityCapacity, activityEntrySchema, type ActivityEntry } from '../../../shared/contract';
import { createListStore, type ListStore } from './list-store';

export type ActivityStore = ListStore<ActivityEntry>;

export function createActivityStore(dataDir: string, keepLast = activityCapacity): ActivityStore {
  return createListStore({ dataDir, name: 'activity', schema: activityEntrySchema, keyOf: (entry) => entry.id, keepLast });
}
