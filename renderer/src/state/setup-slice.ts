/**
 * "Get set up": the guided day-one path, five steps over pieces that exist elsewhere (connecting a
 * primary, Browse's checked repositories, the SSH key check, batches). This slice holds only what
 * the path adds: which step shows, the whole projects and team file chosen, the key check over
 * every server the selection will use, the protocol, the folder, and the batches it started.
 * Nothing clones before `go()`, the one confirmation; the key check only tries keys.
 */
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { BatchLayout, CloneBatchStartParams, HelperClient } from '../../../shared/contract';
import type { TeamFile } from '../../../shared/team-file';
import type { BrowseSlice } from './browse-slice';
import type { CloneBatchesSlice } from './clone-batches-slice';
import type { KeyCheck, KeysSlice } from './keys-slice';
import { toErrorInfo, type ErrorInfo } from './errors';
import { mergeKeyChecks, representatives } from './selection-key-check';

/**
 * The steps in the order a person takes them. The repositories are chosen before the keys are
 * checked: which mirrors the keys must fit depends on which repositories were chosen.
 */
export const setupSteps = [
  { id: 'connect', title: 'Connect your primary' },
  { id: 'choose', title: 'Choose the repositories' },
  { id: 'keys', title: 'Check your SSH keys' },
  { id: 'go', title: 'Choose the folder and go' },
  { id: 'summary', title: 'What is where' },
] as const;

export type SetupStep = (typeof setupSteps)[number]['id'];
export type SetupProtocol = CloneBatchStartParams['protocol'] & string;

export type SetupKeyCheck = { state: 'pending' } | { state: 'done'; result: KeyCheck; repositories: string[] } | { state: 'error'; error: ErrorInfo };

export interface SetupTeamFile {
  name: string;
  team: TeamFile;
}

export interface SetupSlice {
  step: SetupStep;
  primary?: string;
  /** Whole projects chosen (every repository, archived ones left out). */
  projects: string[];
  /** A team file opened instead of choosing in Browse: its repositories and projects are the selection. */
  teamFile?: SetupTeamFile;
  keyCheck?: SetupKeyCheck;
  /** Undefined until chosen (or suggested by a key accepted everywhere, or by the team file). */
  protocol?: SetupProtocol;
  /** What was typed; undefined: the default clone folder. */
  typedFolder?: string;
  layout: BatchLayout;
  /** The batch started by "go", then each retry of its failures, oldest first. */
  batchIds: string[];
  goError?: ErrorInfo;
  starting: boolean;
  /** Whether the path has been opened since the app started (or restarted). */
  begun: boolean;
  /** The first time the path shows: at step 2 when a primary is connected already. */
  begin(connected: boolean): void;
  show(step: SetupStep): void;
  setPrimary(baseUrl: string): void;
  toggleProject(key: string): void;
  chooseTeamFile(file: SetupTeamFile | undefined): void;
  /** The repositories the path will clone by name (the team file's, or those checked in Browse). */
  chosenRepositories(): string[];
  checkKeys(): Promise<void>;
  setProtocol(protocol: SetupProtocol): void;
  setFolder(folder: string): void;
  setLayout(layout: BatchLayout): void;
  /** The one confirmation: starts the batch and moves to the summary. */
  go(parentDirectory: string): Promise<boolean>;
  retryFailed(): Promise<void>;
  /** From the start again (a new hire's second project, or another team's). */
  restart(): void;
}

export interface SetupDependencies {
  browse: StoreApi<BrowseSlice>;
  keys: StoreApi<KeysSlice>;
  cloneBatches: StoreApi<CloneBatchesSlice>;
}

const fresh = { begun: false, step: 'connect' as SetupStep, projects: [], teamFile: undefined, keyCheck: undefined, protocol: undefined, typedFolder: undefined, layout: 'flat' as BatchLayout, batchIds: [], goError: undefined, starting: false };

export function createSetupSlice(client: HelperClient | undefined, { browse, keys, cloneBatches }: SetupDependencies): StoreApi<SetupSlice> {
  let checkCounter = 0;
  return createStore<SetupSlice>()((set, get) => ({
    ...fresh,
    begin: (connected) => {
      if (!get().begun) set({ begun: true, step: connected ? 'choose' : 'connect' });
    },
    show: (step) => set({ step }),
    setPrimary: (primary) => set((state) => (state.primary === primary ? {} : { primary, projects: [], teamFile: undefined, keyCheck: undefined })),
    toggleProject: (key) => set((state) => ({ projects: state.projects.includes(key) ? state.projects.filter((item) => item !== key) : [...state.projects, key], keyCheck: undefined })),
    chooseTeamFile: (file) =>
      set({
        teamFile: file,
        keyCheck: undefined,
        layout: file?.team.layout ?? get().layout,
        protocol: file ? (file.team.protocol === 'ssh' ? 'ssh' : 'http') : undefined,
      }),
    chosenRepositories() {
      const { teamFile } = get();
      return teamFile ? teamFile.team.repositories : Object.keys(browse.getState().checked);
    },
    async checkKeys() {
      const { primary, teamFile } = get();
      if (!client || !primary) return;
      const run = ++checkCounter;
      set({ keyCheck: { state: 'pending' } });
      try {
        const { named, projectsToList } = representatives(get().chosenRepositories(), teamFile ? teamFile.team.projects : get().projects);
        // A whole project is stood for by its first repository, asked of the primary.
        const listed = await Promise.all(projectsToList.map(async (projectKey) => (await client.call('repositories.list', { primary, projectKey, limit: 1 })).values[0]));
        const repositories = [...named, ...listed.flatMap((repository) => (repository ? [`${repository.projectKey}/${repository.slug}`] : []))];
        // One at a time: each tries every key on every server, and a laptop's agent prompts are serial anyway.
        const checks: KeyCheck[] = [];
        for (const repository of repositories.length > 0 ? repositories : [undefined]) checks.push(await client.call('keys.check', { repository, primary }));
        const result = mergeKeyChecks(checks)!;
        if (run !== checkCounter) return;
        set({ keyCheck: { state: 'done', result, repositories } });
        // The SSH keys pieces read the keys slice's check: the key type they suggest fits these servers.
        keys.setState({ check: { state: 'done', result, repository: repositories[0] ?? '', primary } });
      } catch (error) {
        if (run === checkCounter) set({ keyCheck: { state: 'error', error: toErrorInfo(error) } });
      }
    },
    setProtocol: (protocol) => set({ protocol }),
    setFolder: (typedFolder) => set({ typedFolder }),
    setLayout: (layout) => set({ layout }),
    async go(parentDirectory) {
      const { primary, teamFile, projects, protocol, layout } = get();
      if (!primary) return false;
      if (get().starting) return false;
      set({ goError: undefined, starting: true });
      const batchId = await cloneBatches.getState().start({
        primary,
        projects: teamFile ? teamFile.team.projects : projects,
        repositories: get().chosenRepositories(),
        parentDirectory,
        layout,
        protocol: protocol ?? 'http',
      });
      if (!batchId) {
        set({ goError: cloneBatches.getState().startError, starting: false });
        return false;
      }
      set({ batchIds: [batchId], step: 'summary', starting: false });
      return true;
    },
    async retryFailed() {
      const last = get().batchIds.at(-1);
      if (!last) return;
      const retry = await cloneBatches.getState().retryFailed(last);
      if (retry) set((state) => ({ batchIds: [...state.batchIds, retry] }));
    },
    restart: () => {
      browse.getState().clearChecked();
      set({ ...fresh, begun: true, step: 'choose', primary: get().primary });
    },
  }));
}
