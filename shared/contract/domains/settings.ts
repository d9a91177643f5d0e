/** The helper's settings, as the Settings screen edits them. */
import { z } from 'zod';

export const settingsSchema = z.object({
  probeSamples: z.number().int().min(1).max(20).default(5),
  /** Disk space local mirrors may use; beyond it the least recently used are removed. None: no limit. */
  cacheQuotaBytes: z.number().int().min(0).optional(),
  /** A PEM file with extra certificate authorities to trust (a company CA). Verification is never turned off. */
  extraCaFile: z.string().optional(),
  /**
   * Where new clones go unless the clone panel says otherwise. settings.get always answers with
   * one: the stored folder, or the platform's convention (~/src; ~/source/repos on Windows).
   */
  defaultCloneFolder: z.string().optional(),
});

export type Settings = z.infer<typeof settingsSchema>;

export const settingsMethods = {
  'settings.get': { params: z.object({}).strict(), result: settingsSchema },
  'settings.update': {
    params: z
      .object({ probeSamples: settingsSchema.shape.probeSamples.optional(), extraCaFile: z.string().nullable().optional(), cacheQuotaBytes: z.number().int().min(0).nullable().optional(), defaultCloneFolder: z.string().max(4096).nullable().optional() })
      .strict(),
    result: settingsSchema,
  },
};
