/**
 * Where the machine is: long-running helpers notice a move to another network (another office,
 * home, a VPN), after which other mirrors may be closest. Warm clones are switched by the helper
 * itself; the UI offers to switch the others.
 */
import { z } from 'zod';

export const networkMethods = {
  'network.status': {
    params: z.object({}).strict(),
    /** `watching`: this helper notices moves (the CLI's does not). `movedAt`: the last move it noticed. */
    result: z.object({ watching: z.boolean(), movedAt: z.string().optional() }),
  },
};

export const networkEvents = {
  'network.moved': z.object({ at: z.string() }),
};
