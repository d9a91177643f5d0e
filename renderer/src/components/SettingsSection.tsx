/**
 * Settings: how discovery measures and whom it trusts, the local mirrors' disk quota, the
 * connected primaries (remove, hand-added mirrors, pinned mirror) and facts about the helper.
 */
import { useEffect, useRef, useState } from 'react';
import { useHelper, useSettings } from '../state/stores';
import { ErrorMessage } from './ErrorMessage';
import { CaFileSetting, ProbeSamplesSetting, QuotaSetting } from './SettingsFields';
import { LocalMirrorLargeFilesSetting } from './LocalMirrorLargeFilesSetting';
import { PrimariesSettings } from './PrimariesSettings';
import { EditorSetting } from './EditorSetting';
import { DefaultCloneFolderSetting } from './DefaultCloneFolderSetting';

type CopyState = 'idle' | 'copied' | 'selected';

function DataFolder({ path }: { path?: string }) {
  const [copy, setCopy] = useState<CopyState>('idle');
  const pathRef = useRef<HTMLElement>(null);
  const timer = useRef<number | undefined>(undefined);
  useEffect(() => () => window.clearTimeout(timer.current), []);

  const copyPath = async () => {
    if (!path) return;
    window.clearTimeout(timer.current);
    try {
      await navigator.clipboard.writeText(path);
      setCopy('copied');
      timer.current = window.setTimeout(() => setCopy('idle'), 4000);
    } catch {
      // No clipboard access (a browser that refuses it): select the path so a key press copies it.
      if (pathRef.current) window.getSelection()?.selectAllChildren(pathRef.current);
      setCopy('selected');
    }
  };

  return (
    <div className="data-folder">
      <div className="data-folder__row">
        <code className="data-folder__path" ref={pathRef} data-testid="data-folder">
          {path ?? <span className="placeholder" aria-label="loading">—</span>}
        </code>
        <button type="button" className="button button--small" aria-disabled={!path} onClick={() => void copyPath()}>
          Copy path
        </button>
        <span className="data-folder__copied" aria-live="polite" data-testid="data-folder-copied">
          {copy === 'copied' && <span className="ok-text">Copied</span>}
          {copy === 'selected' && 'Selected: press Ctrl+C (⌘C) to copy'}
        </span>
      </div>
      <p className="setting__help">
        Set by <code>MIRROR_CLONE_HOME</code> when the helper starts; to use another folder, start it with that variable set.
      </p>
    </div>
  );
}

function HelperFacts() {
  const info = useHelper((state) => state.info);
  const rows: [string, string | undefined][] = [
    ['Helper version', info?.version],
    ['Helper state', info?.state],
    ['Platform', info?.platform],
    ['Node.js', info?.nodeVersion],
    ['Connected over', info?.transport],
  ];
  return (
    <section className="settings__part" aria-labelledby="settings-helper-title">
      <h2 id="settings-helper-title" className="content__subtitle">The mirror-sync helper</h2>
      <div className="setting">
        <div className="setting__about">
          <span className="setting__title">Data folder</span>
          <p className="setting__help">Connected primaries, settings, local mirrors and logs. Tokens are in the OS keychain, not here.</p>
        </div>
        <div className="setting__control">
          <DataFolder path={info?.dataDir} />
        </div>
      </div>
      <dl className="facts settings__facts">
        {rows.map(([label, value]) => (
          <div className="facts__row" key={label}>
            <dt>{label}</dt>
            {/* A placeholder keeps the layout still while the helper answers. */}
            <dd>{value ?? <span className="placeholder" aria-label="loading">—</span>}</dd>
          </div>
        ))}
      </dl>
    </section>
  );
}

export function SettingsSection() {
  const loadError = useSettings((state) => state.loadError);
  const loaded = useSettings((state) => state.settings !== undefined);
  return (
    <section className="content__section settings" aria-labelledby="settings-title">
      <h1 id="settings-title" className="content__title">Settings</h1>
      <p className="settings__intro muted">Each change is saved as you make it: a choice at once, a typed value when you press Enter or leave the field (Escape puts back what is saved).</p>
      <section className="settings__part" aria-labelledby="settings-discovery-title" aria-busy={!loaded}>
        <h2 id="settings-discovery-title" className="content__subtitle">Discovery and trust</h2>
        {loadError && <ErrorMessage error={loadError} title="Could not read the settings." testId="settings-load-error" />}
        <ProbeSamplesSetting />
        <CaFileSetting />
      </section>
      <section className="settings__part" aria-labelledby="settings-cloning-title" aria-busy={!loaded}>
        <h2 id="settings-cloning-title" className="content__subtitle">Cloning</h2>
        <DefaultCloneFolderSetting />
      </section>
      <section className="settings__part" aria-labelledby="settings-local-title" aria-busy={!loaded}>
        <h2 id="settings-local-title" className="content__subtitle">Local mirrors</h2>
        <QuotaSetting />
        <LocalMirrorLargeFilesSetting />
      </section>
      <section className="settings__part" aria-labelledby="settings-open-title" aria-busy={!loaded}>
        <h2 id="settings-open-title" className="content__subtitle">Opening clones</h2>
        <EditorSetting />
      </section>
      <PrimariesSettings />
      <HelperFacts />
    </section>
  );
}
