import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { Resvg } from '@resvg/resvg-js';
import * as echarts from 'echarts';
import type { EChartsOption } from 'echarts';
import { woffToSfnt } from './woff.js';

export type { EChartsOption };

/** The bundled font (Noto Sans SC, OFL-1.1, from @fontsource/noto-sans-sc): Latin and CJK in one family. */
export const CHART_FONT = 'Noto Sans SC';

let fontFiles: string[] | null = null;

/**
 * resvg reads TTF/OTF files by path; the package ships WOFF subsets, so each regular-weight subset is
 * converted once per process into a cache folder keyed by the package version (written via rename, so
 * processes sharing the folder never read half a file).
 */
function bundledFontFiles(): string[] {
  if (fontFiles) return fontFiles;
  const pkg = createRequire(import.meta.url).resolve('@fontsource/noto-sans-sc/package.json');
  const version = (JSON.parse(readFileSync(pkg, 'utf8')) as { version: string }).version;
  const src = join(dirname(pkg), 'files');
  const cache = join(tmpdir(), `chat-crm-fonts-noto-sans-sc-${version}`);
  mkdirSync(cache, { recursive: true });
  fontFiles = readdirSync(src).filter((f) => f.endsWith('-400-normal.woff')).sort().map((f) => {
    const out = join(cache, f.replace(/\.woff$/, '.otf'));
    if (!existsSync(out)) {
      const part = `${out}.${process.pid}.part`;
      writeFileSync(part, woffToSfnt(readFileSync(join(src, f))));
      renameSync(part, out);
    }
    return out;
  });
  return fontFiles;
}

/** ECharts' server-side SVG for an option; animation off so the picture is the final state. */
export function chartSvg(option: EChartsOption, width: number, height: number): string {
  const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width, height });
  try {
    chart.setOption({ animation: false, backgroundColor: '#ffffff', textStyle: { fontFamily: CHART_FONT }, ...option });
    return chart.renderToSVGString();
  } finally {
    chart.dispose();
  }
}

/** A rendered chart: the PNG bytes and its RGBA pixels (for checks of what was drawn where). */
export interface RenderedChart {
  width: number;
  height: number;
  png: Buffer;
  pixels: Buffer;
}

/** Rasterises the SVG with the bundled font only (no system fonts), so the same input gives the same PNG bytes anywhere. */
export function renderChart(option: EChartsOption, width: number, height: number): RenderedChart {
  const svg = chartSvg(option, width, height);
  const resvg = new Resvg(svg, {
    font: { loadSystemFonts: false, fontFiles: bundledFontFiles(), defaultFontFamily: CHART_FONT, sansSerifFamily: CHART_FONT },
    background: '#ffffff',
  });
  const image = resvg.render();
  return { width: image.width, height: image.height, png: image.asPng(), pixels: image.pixels };
}

export function chartPng(option: EChartsOption, width: number, height: number): Buffer {
  return renderChart(option, width, height).png;
}

export function pngDataUrl(png: Buffer): string {
  return `data:image/png;base64,${png.toString('base64')}`;
}
