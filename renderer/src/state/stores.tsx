/**
 * The app's state: one small zustand store per domain, created once with the helper client
 * they depend on, and handed to components through context (no module-level singletons, so a
 * test can build the app against any client).
 */
import { createContext, useContext, type ReactNode } from 'react';
import { useStore, type StoreApi } from 'zustand';
import type { HelperClient } from '../../../shared/contract';
import { createHelperSlice, type HelperSlice } from './helper-slice';
import { createNavigationSlice, type NavigationSlice } from './navigation-slice';
import { createPrimariesSlice, type PrimariesSlice } from './primaries-slice';
import { createDiscoverySlice, type DiscoverySlice } from './discovery-slice';
import { createCloneJobsSlice, type CloneJobsSlice } from './clone-jobs-slice';
import { createClonesSlice, type ClonesSlice } from './clones-slice';
import { createKeysSlice, type KeysSlice } from './keys-slice';
import { createSettingsSlice, type SettingsSlice } from './settings-slice';
import { createLocalMirrorsSlice, type LocalMirrorsSlice } from './local-mirrors-slice';
import { createBrowseSlice, type BrowseSlice } from './browse-slice';
import { createNetworkSlice, type NetworkSlice } from './network-slice';
import { createActivitySlice, type ActivitySlice } from './activity-slice';
import { createEditorsSlice, type EditorsSlice } from './editors-slice';
import { createRepositoryDetailsSlice, type RepositoryDetailsSlice } from './repository-details-slice';
import { createCloneDestinationSlice, type CloneDestinationSlice } from './clone-destination-slice';
import { createCloneBatchesSlice, type CloneBatchesSlice } from './clone-batches-slice';
import { createAppLinksSlice, type AppLinksSlice } from './app-links-slice';
import { createSetupSlice, type SetupSlice } from './setup-slice';

export interface Stores {
  helper: StoreApi<HelperSlice>;
  navigation: StoreApi<NavigationSlice>;
  primaries: StoreApi<PrimariesSlice>;
  discovery: StoreApi<DiscoverySlice>;
  cloneJobs: StoreApi<CloneJobsSlice>;
  clones: StoreApi<ClonesSlice>;
  keys: StoreApi<KeysSlice>;
  settings: StoreApi<SettingsSlice>;
  localMirrors: StoreApi<LocalMirrorsSlice>;
  browse: StoreApi<BrowseSlice>;
  network: StoreApi<NetworkSlice>;
  activity: StoreApi<ActivitySlice>;
  editors: StoreApi<EditorsSlice>;
  repositoryDetails: StoreApi<RepositoryDetailsSlice>;
  cloneDestination: StoreApi<CloneDestinationSlice>;
  cloneBatches: StoreApi<CloneBatchesSlice>;
  appLinks: StoreApi<AppLinksSlice>;
  setup: StoreApi<SetupSlice>;
}

export function createStores(client: HelperClient | undefined): Stores {
  // The helper slice first: its helper.info goes out first on each connect, so the status bar
  // fills in before the domain lists.
  const helper = createHelperSlice(client);
  const clones = createClonesSlice(client);
  const discovery = createDiscoverySlice(client);
  const navigation = createNavigationSlice();
  // Opening a repository in the list finds its mirrors for the Clone panel.
  const browse = createBrowseSlice(client, { onPick: (repository, primary) => void discovery.getState().run(`${repository.projectKey}/${repository.slug}`, primary, { origin: 'list' }) });
  const keys = createKeysSlice(client);
  const cloneBatches = createCloneBatchesSlice(client);
  return {
    helper,
    navigation,
    primaries: createPrimariesSlice(client),
    discovery,
    // A finished clone, or one ready to work at its destination (kept if stopped after that), is a
    // new local clone: re-read the list.
    cloneJobs: createCloneJobsSlice(
      client,
      (job) => {
        if (job.state === 'done' || job.ready) void clones.getState().refresh();
      },
      () => void clones.getState().refresh(),
    ),
    clones,
    keys,
    settings: createSettingsSlice(client),
    localMirrors: createLocalMirrorsSlice(client),
    browse,
    network: createNetworkSlice(client),
    activity: createActivitySlice(client),
    editors: createEditorsSlice(client),
    repositoryDetails: createRepositoryDetailsSlice(client),
    cloneDestination: createCloneDestinationSlice(client),
    cloneBatches,
    // The day-one path drives Browse's checks, the key check and a batch; it copies none of them.
    setup: createSetupSlice(client, { browse, keys, cloneBatches }),
    appLinks: createAppLinksSlice(client, { navigation }),
  };
}

const StoresContext = createContext<Stores | undefined>(undefined);

export function StoresProvider({ stores, children }: { stores: Stores; children: ReactNode }) {
  return <StoresContext.Provider value={stores}>{children}</StoresContext.Provider>;
}

function useStores(): Stores {
  const stores = useContext(StoresContext);
  if (!stores) throw new Error('StoresProvider is missing');
  return stores;
}

export function useHelper<T>(selector: (state: HelperSlice) => T): T {
  return useStore(useStores().helper, selector);
}

export function useNavigation<T>(selector: (state: NavigationSlice) => T): T {
  return useStore(useStores().navigation, selector);
}

export function usePrimaries<T>(selector: (state: PrimariesSlice) => T): T {
  return useStore(useStores().primaries, selector);
}

export function useDiscovery<T>(selector: (state: DiscoverySlice) => T): T {
  return useStore(useStores().discovery, selector);
}

export function useCloneJobs<T>(selector: (state: CloneJobsSlice) => T): T {
  return useStore(useStores().cloneJobs, selector);
}

export function useClones<T>(selector: (state: ClonesSlice) => T): T {
  return useStore(useStores().clones, selector);
}

export function useKeys<T>(selector: (state: KeysSlice) => T): T {
  return useStore(useStores().keys, selector);
}

export function useSettings<T>(selector: (state: SettingsSlice) => T): T {
  return useStore(useStores().settings, selector);
}

export function useLocalMirrors<T>(selector: (state: LocalMirrorsSlice) => T): T {
  return useStore(useStores().localMirrors, selector);
}

export function useBrowse<T>(selector: (state: BrowseSlice) => T): T {
  return useStore(useStores().browse, selector);
}

export function useNetwork<T>(selector: (state: NetworkSlice) => T): T {
  return useStore(useStores().network, selector);
}

export function useActivity<T>(selector: (state: ActivitySlice) => T): T {
  return useStore(useStores().activity, selector);
}

export function useEditors<T>(selector: (state: EditorsSlice) => T): T {
  return useStore(useStores().editors, selector);
}

export function useRepositoryDetails<T>(selector: (state: RepositoryDetailsSlice) => T): T {
  return useStore(useStores().repositoryDetails, selector);
}

export function useCloneDestination<T>(selector: (state: CloneDestinationSlice) => T): T {
  return useStore(useStores().cloneDestination, selector);
}

export function useCloneBatches<T>(selector: (state: CloneBatchesSlice) => T): T {
  return useStore(useStores().cloneBatches, selector);
}

export function useAppLinks<T>(selector: (state: AppLinksSlice) => T): T {
  return useStore(useStores().appLinks, selector);
}

export function useSetup<T>(selector: (state: SetupSlice) => T): T {
  return useStore(useStores().setup, selector);
}
