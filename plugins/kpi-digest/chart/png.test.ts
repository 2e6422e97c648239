import { inflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { HEIGHT, REVENUE_AREA, REVENUE_BAR, WIDTH, digestChartUrl, drawDigestChart, slotCentre } from './digest-chart.js';
import { Raster, crc32, encodePng } from './png.js';

/** Reads a PNG back (IHDR + IDAT, filter 0 only, as we write it): an independent check of the encoder. */
function decode(png: Buffer): { width: number; height: number; pixel(x: number, y: number): number[] } {
  expect([...png.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  let at = 8;
  let width = 0;
  let height = 0;
  const idat: Buffer[] = [];
  while (at < png.length) {
    const len = png.readUInt32BE(at);
    const type = png.toString('ascii', at + 4, at + 8);
    const body = png.subarray(at + 8, at + 8 + len);
    expect(png.readUInt32BE(at + 8 + len)).toBe(crc32(png.subarray(at + 4, at + 8 + len)));
    if (type === 'IHDR') {
      width = body.readUInt32BE(0);
      height = body.readUInt32BE(4);
      expect([...body.subarray(8)]).toEqual([8, 6, 0, 0, 0]);
    }
    if (type === 'IDAT') idat.push(body);
    at += 12 + len;
  }
  const raw = inflateSync(Buffer.concat(idat));
  return {
    width, height,
    pixel: (x, y) => {
      const row = y * (width * 4 + 1);
      expect(raw[row]).toBe(0);
      return [...raw.subarray(row + 1 + x * 4, row + 1 + x * 4 + 4)];
    },
  };
}

describe('PNG encoder', () => {
  it('checksums like the PNG spec (CRC-32 of "IEND")', () => {
    expect(crc32(Buffer.from('IEND', 'ascii'))).toBe(0xae426082);
  });

  it('writes the dimensions in IHDR and the pixels we drew', () => {
    const r = new Raster(7, 3);
    r.fillRect(2, 1, 2, 1, [255, 0, 0]);
    const png = decode(encodePng(r));
    expect([png.width, png.height]).toEqual([7, 3]);
    expect(png.pixel(2, 1)).toEqual([255, 0, 0, 255]);
    expect(png.pixel(4, 1)).toEqual([255, 255, 255, 255]);
  });

  it('draws lines end to end and text with the bitmap font', () => {
    const r = new Raster(20, 20);
    r.line(0, 0, 19, 19, [0, 0, 0]);
    expect([r.get(0, 0), r.get(10, 10), r.get(19, 19)].map((p) => p[0])).toEqual([0, 0, 0]);
    r.text(0, 12, '1', [0, 0, 255]);
    // The glyph "1" has its stem in column 2 on every row but the last.
    expect(r.get(2, 13)).toEqual([0, 0, 255, 255]);
    expect(r.get(0, 13)).toEqual([255, 255, 255, 255]);
  });
});

describe('digest chart', () => {
  const input = {
    title: 'Digest', labels: Array.from({ length: 12 }, (_, i) => `M${i + 1}`), nps: [...Array(11).fill(null), 50],
    revenueMinor: [...Array(11).fill(0), 1_000_00], stages: [{ stage: 'lead', totalMinor: 5_00 }], money: (m: number) => `${m / 100}`,
  };

  it('is a PNG data URL of the chart size whose last revenue bar is full height', () => {
    const url = digestChartUrl(input);
    expect(url.startsWith('data:image/png;base64,')).toBe(true);
    const png = decode(Buffer.from(url.slice('data:image/png;base64,'.length), 'base64'));
    expect([png.width, png.height]).toEqual([WIDTH, HEIGHT]);
    const x = Math.round(slotCentre(REVENUE_AREA, 11, 12));
    expect(png.pixel(x, REVENUE_AREA.y + 1)).toEqual([...REVENUE_BAR, 255]);
    expect(png.pixel(Math.round(slotCentre(REVENUE_AREA, 10, 12)), REVENUE_AREA.y + 1)).toEqual([255, 255, 255, 255]);
  });

  it('draws nothing outside the canvas when every series is empty', () => {
    const r = drawDigestChart({ ...input, nps: Array(12).fill(null), revenueMinor: Array(12).fill(0), stages: [] });
    expect(r.get(REVENUE_AREA.x + 10, REVENUE_AREA.y + 10)).toEqual([255, 255, 255, 255]);
  });
});
