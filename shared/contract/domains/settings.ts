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
  /**
   * The command that opens a clone in an editor: a program (a name on PATH or a full path) and
   * its arguments; the clone's folder is added as the last argument. Never run through a shell.
   * None: the first editor found on this machine.
   */
  editor: z.string().max(1000).optional(),
  /**
   * Where new clones go unless the clone panel says otherwise. settings.get always answers with
   * one: the stored folder, or the platform's convention (~/src; ~/source/repos on Windows).
   */
  defaultCloneFolder: z.string().optional(),
  /**
   * Which Git LFS files a local mirror keeps after each sync: those of the default branch's tip,
   * or of every branch's tip. They sit in the local mirror's folder, so the quota counts them.
   */
  localMirrorLargeFiles: z.enum(['default-branch', 'all-branches']).default('default-branch'),
});

export type Settings = z.infer<typeof settingsSchema>;

export const detectedEditorSchema = z.object({
  /** What the user knows it by: "Visual Studio Code". */
  name: z.string(),
  /** The command to store as the `editor` setting to use it. */
  command: z.string(),
});
export type DetectedEditor = z.infer<typeof detectedEditorSchema>;

export const settingsMethods = {
  'settings.get': { params: z.object({}).strict(), result: settingsSchema },
  'settings.update': {
    params: z
      // No defaults here: a setting left out is left as it is (probeSamples' default of 5 would reset it).
      .object({ probeSamples: z.number().int().min(1).max(20).optional(), extraCaFile: z.string().nullable().optional(), cacheQuotaBytes: z.number().int().min(0).nullable().optional(), maxTransferBytes: z.number().int().min(1).nullable().optional(), editor: z.string().max(1000).nullable().optional(), defaultCloneFolder: z.string().max(4096).nullable().optional(), localMirrorLargeFiles: z.enum(['default-branch', 'all-branches']).optional() })
      .strict(),
    result: settingsSchema,
  },
  /** The editors found on this machine, in the order "Editor" would try them when none is chosen. */
  'settings.editors': { params: z.object({}).strict(), result: z.array(detectedEditorSchema) },
};
