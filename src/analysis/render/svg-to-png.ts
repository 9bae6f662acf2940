/**
 * SVG → PNG through resvg (a real rasteriser, not a screenshot), with the system fonts
 * (DejaVu Sans preferred; Debian's fonts-dejavu-core).
 */
import { Resvg } from '@resvg/resvg-js';

/** The PNG bytes of `svg` at its own size. */
export function svgToPng(svg: string): Buffer {
  const resvg = new Resvg(svg, {
    background: '#ffffff',
    font: { loadSystemFonts: true, defaultFontFamily: 'DejaVu Sans' },
  });
  return resvg.render().asPng();
}
