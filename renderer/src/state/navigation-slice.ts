/** Which section of the app is showing. */
import { createStore, type StoreApi } from 'zustand/vanilla';

export const sections = [
  { id: 'setup', label: 'Get set up' },
  { id: 'repositories', label: 'Repositories' },
  { id: 'clones', label: 'Local clones' },
  { id: 'mirrors', label: 'Local mirrors' },
  { id: 'activity', label: 'Activity' },
  { id: 'keys', label: 'SSH keys' },
  { id: 'settings', label: 'Settings' },
] as const;

export type SectionId = (typeof sections)[number]['id'];

export interface NavigationSlice {
  section: SectionId;
  show(section: SectionId): void;
}

export function createNavigationSlice(): StoreApi<NavigationSlice> {
  return createStore<NavigationSlice>()((set) => ({
    section: 'repositories',
    show: (section) => set({ section }),
  }));
}
