/**
 * What a Bitbucket `/status` answer says about the node. Only `200 {"state":"RUNNING"}` counts as
 * healthy; anything else gets a reason a person can read (a node that is starting, a maintenance
 * window, a proxy's login page where Bitbucket should be).
 */
import { z } from 'zod';

export interface StatusVerdict {
  healthy: boolean;
  /** The `state` field, when the body had one. */
  state?: string;
  /** Why the node is not healthy; absent when it is. */
  reason?: string;
}

const statusBody = z.object({ state: z.string() });

const stateReasons: Record<string, string> = {
  STARTING: 'is still starting up',
  FIRST_RUN: 'has not been set up yet (first run)',
  MAINTENANCE: 'is in maintenance mode',
  STOPPING: 'is shutting down',
  ERROR: 'reports an error state',
};

function describeBody(contentType: string, body: string): string {
  if (/html/i.test(contentType) || /^\s*</.test(body)) return 'an HTML page';
  const preview = body.trim().slice(0, 60);
  return preview ? `"${preview}${body.trim().length > 60 ? '…' : ''}"` : 'an empty body';
}

export function readStatusAnswer(httpStatus: number, contentType: string | undefined, body: string): StatusVerdict {
  if (httpStatus >= 300 && httpStatus < 400) {
    return { healthy: false, reason: `/status answered with a redirect (HTTP ${httpStatus}); a proxy or login page is probably in front of Bitbucket.` };
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    parsed = undefined;
  }
  const status = statusBody.safeParse(parsed);
  if (!status.success) {
    return {
      healthy: false,
      reason: `/status answered with ${describeBody(contentType ?? '', body)} (HTTP ${httpStatus}), not a Bitbucket status; is this a Bitbucket address?`,
    };
  }
  const state = status.data.state;
  if (state === 'RUNNING' && httpStatus === 200) return { healthy: true, state };
  if (state === 'RUNNING') return { healthy: false, state, reason: `The server says RUNNING but answered HTTP ${httpStatus}.` };
  const why = stateReasons[state] ?? `reports the state ${state}`;
  return { healthy: false, state, reason: `The server ${why} (HTTP ${httpStatus}).` };
}
