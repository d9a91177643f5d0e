import { describe, expect, it } from 'vitest';
import { moveActive, resolveActive, type ActiveRow, type KeyOutcome, type ListView } from '../../renderer/src/state/browse-keys';

const view = (count: number, extra: Partial<ListView> = {}): ListView => ({ listKey: 1, count, hasMore: false, pageRows: 8, ...extra });
const row = (index: number, extra: Partial<ActiveRow> = {}): ActiveRow => ({ listKey: 1, index, ...extra });

function moved(outcome: KeyOutcome) {
  if (!outcome.handled) throw new Error('key not handled');
  return outcome;
}

describe('repository list keys', () => {
  it('starts on the first row, and again on the first row of each new listing', () => {
    expect(resolveActive(undefined, view(5))).toBe(0);
    expect(resolveActive(row(3), view(5))).toBe(3);
    expect(resolveActive(row(3), view(5, { listKey: 2 }))).toBe(0);
    expect(resolveActive(row(3), view(0))).toBe(-1);
    // The listing shrank under the row (it cannot, within one key, but never point past the end).
    expect(resolveActive(row(9), view(5))).toBe(4);
  });

  it('moves with the arrows and stops at both ends when there is nothing more to load', () => {
    expect(moved(moveActive('ArrowDown', undefined, view(5))).active.index).toBe(1);
    expect(moved(moveActive('ArrowDown', row(4), view(5)))).toMatchObject({ active: { index: 4 }, loadMore: false });
    expect(moved(moveActive('ArrowUp', row(0), view(5))).active.index).toBe(0);
    expect(moved(moveActive('ArrowUp', row(3), view(5))).active.index).toBe(2);
    // A row from an earlier listing counts as the first row of this one.
    expect(moved(moveActive('ArrowDown', row(3), view(5, { listKey: 2 }))).active).toEqual({ listKey: 2, index: 1 });
  });

  it('asks for the next page past the last row and lands on its first row when it arrives', () => {
    const outcome = moved(moveActive('ArrowDown', row(24), view(25, { hasMore: true })));
    expect(outcome.loadMore).toBe(true);
    expect(outcome.active).toEqual({ listKey: 1, index: 24, advanceFrom: 25 });
    expect(resolveActive(outcome.active, view(25, { hasMore: true }))).toBe(24);
    expect(resolveActive(outcome.active, view(50, { hasMore: true }))).toBe(25);
    // Moving on from there forgets the pending advance.
    expect(moved(moveActive('ArrowDown', outcome.active, view(50))).active).toEqual({ listKey: 1, index: 26 });
  });

  it('pages by the rows in view; PageDown at the end loads more', () => {
    expect(moved(moveActive('PageDown', row(0), view(25))).active.index).toBe(8);
    expect(moved(moveActive('PageDown', row(20), view(25)))).toMatchObject({ active: { index: 24 }, loadMore: false });
    // Reaching the end by PageDown already asks for more, so the page is on its way.
    expect(moved(moveActive('PageDown', row(20), view(25, { hasMore: true })))).toMatchObject({ active: { index: 24 }, loadMore: true });
    expect(moved(moveActive('PageDown', row(24), view(25, { hasMore: true })))).toMatchObject({ active: { index: 24, advanceFrom: 25 }, loadMore: true });
    expect(moved(moveActive('PageUp', row(5), view(25))).active.index).toBe(0);
    expect(moved(moveActive('PageUp', row(20), view(25))).active.index).toBe(12);
  });

  it('goes to the first and last loaded rows with Home and End', () => {
    expect(moved(moveActive('Home', row(17), view(25))).active.index).toBe(0);
    expect(moved(moveActive('End', row(2), view(25, { hasMore: true })))).toMatchObject({ active: { index: 24 }, loadMore: false });
  });

  it('picks the active row with Enter', () => {
    expect(moved(moveActive('Enter', row(3), view(5))).pick).toBe(3);
    expect(moved(moveActive('Enter', undefined, view(5))).pick).toBe(0);
  });

  it('leaves other keys, and every key on an empty list, to the search box', () => {
    expect(moveActive('a', row(0), view(5)).handled).toBe(false);
    expect(moveActive('ArrowLeft', row(0), view(5)).handled).toBe(false);
    expect(moveActive('Enter', undefined, view(0)).handled).toBe(false);
    expect(moveActive('ArrowDown', undefined, view(0)).handled).toBe(false);
  });
});
