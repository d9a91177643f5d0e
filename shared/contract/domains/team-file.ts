/**
 * A team file named by a `mirror-clone://team?url=` link is fetched by the helper (the page may
 * reach nothing but the helper). The helper answers with the file's text; reading it is
 * shared/team-file.ts's job, the same for a fetched, an opened and a dropped file.
 */
import { z } from 'zod';
import { maxAppLinkLength } from '../../app-link';

export const teamFileMethods = {
  'teamFile.fetch': {
    /** An https address (shared/app-link.ts has already accepted it; the helper checks again). */
    params: z.object({ url: z.string().min(1).max(maxAppLinkLength) }).strict(),
    result: z.object({
      /** Where the file was found, after any redirect. */
      url: z.string(),
      /** The last part of its path, to title the summary. */
      name: z.string(),
      text: z.string(),
    }),
  },
};
