/** A stable colour per service name. */
const PALETTE = [
  '#1f77b4',
  '#ff7f0e',
  '#2ca02c',
  '#d62728',
  '#9467bd',
  '#8c564b',
  '#e377c2',
  '#17becf',
  '#bcbd22',
  '#7f7f7f',
  '#393b79',
  '#637939',
];

const cache = new Map<string, string>();

export function serviceColor(name: string): string {
  let color = cache.get(name);
  if (color === undefined) {
    let h = 0;
    for (let i = 0; i < name.length; i++) h = (h * 31 + name.charCodeAt(i)) | 0;
    color = PALETTE[Math.abs(h) % PALETTE.length]!;
    // Service names are few; a trace's rows and minimap ask for them 10 000s of times.
    if (cache.size < 10_000) cache.set(name, color);
  }
  return color;
}
