/** Small immutable changes to the keyed records and orders the slices keep (zustand state is never mutated). */

export function withoutKey<T>(record: Record<string, T>, key: string): Record<string, T> {
  const next = { ...record };
  delete next[key];
  return next;
}

/** Newest first: an id not listed yet goes to the top; one already listed stays where it is. */
export function firstIfNew(order: string[], id: string): string[] {
  return order.includes(id) ? order : [id, ...order];
}

/** `order` with `oldId` replaced by `newId` in its place (or `newId` first when `oldId` is not there). */
export function takePlace(order: string[], oldId: string, newId: string): string[] {
  if (!order.includes(oldId)) return firstIfNew(order, newId);
  return order.filter((id) => id !== newId).map((id) => (id === oldId ? newId : id));
}
