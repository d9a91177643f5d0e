import { useHelper } from '../state/stores';

export function SettingsSection() {
  const info = useHelper((state) => state.info);
  const rows: [string, string | undefined][] = [
    ['Helper version', info?.version],
    ['Helper state', info?.state],
    ['Data folder', info?.dataDir],
    ['Platform', info?.platform],
    ['Node.js', info?.nodeVersion],
    ['Connected over', info?.transport],
  ];
  return (
    <section className="content__section" aria-labelledby="settings-title">
      <h1 id="settings-title" className="content__title">Settings</h1>
      <h2 className="content__subtitle">About the mirror-sync helper</h2>
      <dl className="facts">
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
