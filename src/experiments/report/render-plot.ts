/**
 * Draws Vega-Lite specs headless: vega-lite compiles to Vega, Vega renders an SVG without a
 * browser or canvas, and resvg (Rust, shipped prebuilt in its npm package) turns the SVG into
 * a PNG for viewers that need one.
 */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Resvg } from '@resvg/resvg-js';
import { parse, View } from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';

/** Pure apart from Vega's own work: the SVG text of `spec`. */
export async function renderSvg(spec: TopLevelSpec): Promise<string> {
  const view = new View(parse(compile(spec).spec), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

/** The PNG of an SVG, at `scale` times its size, with the system's fonts (DejaVu Sans where present). */
export function svgToPng(svg: string, scale = 2): Buffer {
  const resvg = new Resvg(svg, {
    fitTo: { mode: 'zoom', value: scale },
    background: 'white',
    font: { loadSystemFonts: true, defaultFontFamily: 'DejaVu Sans', sansSerifFamily: 'DejaVu Sans' },
  });
  return resvg.render().asPng();
}

/** Files written for one plot. */
export interface WrittenPlot {
  svg: string;
  png?: string;
}

/** Writes `<dir>/<name>.svg` (and `.png` unless `png: false`); returns the paths. */
export async function writePlot(
  dir: string,
  name: string,
  spec: TopLevelSpec,
  options: { png?: boolean } = {},
): Promise<WrittenPlot> {
  const svg = await renderSvg(spec);
  const svgPath = path.join(dir, `${name}.svg`);
  await writeFile(svgPath, svg);
  if (options.png === false) return { svg: svgPath };
  const pngPath = path.join(dir, `${name}.png`);
  await writeFile(pngPath, svgToPng(svg));
  return { svg: svgPath, png: pngPath };
}
