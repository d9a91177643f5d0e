/** The helper's settings, as the Settings screen edits them. */
import { z } from 'zod';

export const settingsSchema = z.object({
  probeSamples: z.number().int().min(1).max(20).default(5),
  /** Disk space local mirrors may use; beyond it the least recently used are removed. None: no limit. */
  cacheQuotaBytes: z.number().int().min(0).optional(),
  /** A PEM file with extra certificate authorities to trust (a company CA). Verification is never turned off. */
  extraCaFile: z.string().optional(),
  /**
   * The most one server may send for a clone or a local-mirror sync when the primary does not say
   * how large the repository is (otherwise the limit is twice its size plus 100 MiB). None: 20 GiB.
   */
  maxTransferBytes: z.number().int().min(1).optional(),
});

export type Settings = z.infer<typeof settingsSchema>;

export const settingsMethods = {
  'settings.get': { params: z.object({}).strict(), result: settingsSchema },
  'settings.update': {
    params: z
      // No defaults here: a setting left out is left as it is (probeSamples' default of 5 would reset it).
      .object({ probeSamples: z.number().int().min(1).max(20).optional(), extraCaFile: z.string().nullable().optional(), cacheQuotaBytes: z.number().int().min(0).nullable().optional(), maxTransferBytes: z.number().int().min(1).nullable().optional() })
      .strict(),
    result: settingsSchema,
  },
};
