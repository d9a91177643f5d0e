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

export interface Stores {
  helper: StoreApi<HelperSlice>;
  navigation: StoreApi<NavigationSlice>;
}

export function createStores(client: HelperClient | undefined): Stores {
  return {
    helper: createHelperSlice(client),
    navigation: createNavigationSlice(),
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
