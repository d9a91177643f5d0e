import { describe, expect, it } from 'vitest';
import { PktLineCounter } from '../../electron/helper/git/listing-limits';

describe('counting pkt-lines as a listing streams in', () => {
  it('counts lines split anywhere across chunks, flushes and delimiters not counted', () => {
    const stream = Buffer.from('0007ab\n' + '0000' + '0008abcd' + '0001' + '000axyzxyz');
    for (let cut = 1; cut < stream.length; cut += 1) {
      const counter = new PktLineCounter();
      counter.feed(stream.subarray(0, cut));
      counter.feed(stream.subarray(cut));
      expect(counter.lines, `cut at ${cut}`).toBe(3);
    }
  });
});
