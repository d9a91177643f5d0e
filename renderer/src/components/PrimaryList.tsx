/** The connected primaries, one compact line each, each with a way to its part of Settings. */
import { useNavigation, usePrimaries, useSettings } from '../state/stores';

export function PrimaryList() {
  const list = usePrimaries((state) => state.list) ?? [];
  const show = useNavigation((state) => state.show);
  const requestPrimaryFocus = useSettings((state) => state.requestPrimaryFocus);
  const manage = (baseUrl: string) => {
    requestPrimaryFocus(baseUrl);
    show('settings');
  };
  return (
    <ul className="primary-list" aria-label="Connected primaries" data-testid="primary-list">
      {list.map((primary) => (
        <li key={primary.baseUrl} className="primary-list__item">
          <span className="status-dot status-dot--connected" aria-hidden="true" />
          <span className="primary-list__name" title={primary.baseUrl}>{primary.name}</span>
          {/* The name is often just the host: then the full address is in its tooltip only. */}
          {primary.baseUrl.replace(/^https?:\/\//, '') !== primary.name && <code className="primary-list__url">{primary.baseUrl}</code>}
          <span className="muted">
            {primary.version ? `Bitbucket ${primary.version}` : 'Bitbucket'}
            {primary.username ? ` · ${primary.username}` : ''}
            {primary.authKind === 'token' ? ' · token' : ' · password'}
          </span>
          {primary.insecure && <span className="badge badge--warn">plain http</span>}
          <button type="button" className="button button--small button--quiet" aria-label={`Manage ${primary.name} in Settings`} onClick={() => manage(primary.baseUrl)}>
            Manage
          </button>
        </li>
      ))}
    </ul>
  );
}
