/**
 * What became of the last link or dropped file, at the top of the page: a refused link with the
 * reason (and the start of the link, so the user can tell which), a team file being fetched (with
 * Cancel), one that could not be fetched, a dropped file that is not a team file, and a repository
 * link waiting for its primary to be connected. Each can be put away; none offers to run anything.
 */
import { useEffect, useRef } from 'react';
import { useAppLinks, usePrimaries } from '../state/stores';
import type { LinkNotice } from '../state/app-links-slice';
import { ErrorMessage } from './ErrorMessage';

const hostOf = (url: string) => {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
};

function NoticeText({ notice }: { notice: LinkNotice }) {
  switch (notice.kind) {
    case 'refused':
      return (
        <div className="link-notice__text" role="alert">
          <p><strong>This link was not opened:</strong> <span data-testid="link-notice-reason">{notice.reason}</span>.</p>
          <p className="muted">Nothing was opened or run. The link: <code className="link-notice__link">{notice.link}</code></p>
        </div>
      );
    case 'fetching':
      return (
        <p className="link-notice__text" role="status">
          <span className="spinner" aria-hidden="true" /> Fetching the team file from {hostOf(notice.url)}…
        </p>
      );
    case 'fetch-failed':
      return <ErrorMessage error={notice.error} title="The team file of this link could not be opened." testId="link-notice-error" />;
    case 'not-a-team-file':
      return (
        <p className="link-notice__text" role="alert">
          <strong>{notice.name} cannot be opened:</strong> <span data-testid="link-notice-reason">{notice.reason}</span>.
        </p>
      );
  }
}

export function AppLinkNotice() {
  const notice = useAppLinks((state) => state.notice);
  const dismiss = useAppLinks((state) => state.dismissNotice);
  const cloneRequest = useAppLinks((state) => state.cloneRequest);
  const primaries = usePrimaries((state) => state.list);
  const box = useRef<HTMLDivElement>(null);
  // A link can come while the page is scrolled down: its answer is brought into sight.
  useEffect(() => {
    if (notice) box.current?.scrollIntoView({ block: 'nearest' });
  }, [notice]);

  // The paste field takes the link's repository; without a primary there is no field yet.
  const waitingForPrimary = !notice && cloneRequest && primaries?.length === 0;
  if (!notice && !waitingForPrimary) return null;

  return (
    <div ref={box} className={`link-notice link-notice--${notice?.kind ?? 'waiting'}`} data-testid="link-notice" data-kind={notice?.kind ?? 'waiting'}>
      {notice ? (
        <NoticeText notice={notice} />
      ) : (
        <p className="link-notice__text" role="status">
          This link opens <code className="link-notice__link">{cloneRequest!.url}</code>. Connect its primary below first; the repository is then filled in to be looked up.
        </p>
      )}
      {notice && (
        <button type="button" className="button button--small button--quiet link-notice__close" onClick={dismiss}>
          {notice.kind === 'fetching' ? 'Cancel' : 'Dismiss'}
        </button>
      )}
    </div>
  );
}
