/** Markdown building blocks for `report.md`. Pure. */

/** Pure: a cell's text with pipes and newlines escaped. */
export function markdownCell(value: unknown): string {
  const text =
    typeof value === 'number'
      ? formatNumber(value)
      : typeof value === 'string'
        ? value
        : value === undefined || value === null
          ? ''
          : JSON.stringify(value);
  return text.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}

/** Pure: numbers as a report shows them: "-" for NaN, 3 significant digits below 100, integers above. */
export function formatNumber(value: number): string {
  if (!Number.isFinite(value)) return '-';
  if (Math.abs(value) >= 100) return String(Math.round(value));
  return String(Number(value.toPrecision(3)));
}

/** Pure: a GitHub-flavoured Markdown table. */
export function markdownTable(headers: readonly string[], rows: readonly (readonly unknown[])[]): string {
  const head = `| ${headers.map(markdownCell).join(' | ')} |`;
  const rule = `| ${headers.map(() => '---').join(' | ')} |`;
  const body = rows.map((row) => `| ${headers.map((_, i) => markdownCell(row[i])).join(' | ')} |`);
  return [head, rule, ...body].join('\n');
}

/** One section of a report: a heading and its blocks (paragraphs, tables, image links), in order. */
export interface ReportSection {
  title: string;
  blocks: string[];
}

/** Pure: a whole report: `# title`, an intro, then each section as `## title`. */
export function renderReport(
  title: string,
  intro: readonly string[],
  sections: readonly ReportSection[],
): string {
  const parts = [`# ${title}`, ...intro];
  for (const section of sections) parts.push(`## ${section.title}`, ...section.blocks);
  return `${parts.join('\n\n')}\n`;
}

/** Pure: a Markdown image (relative path) with its SVG/PNG pair, e.g. for a plot. */
export function markdownImage(alt: string, svgFile: string, pngFile?: string): string {
  const image = `![${alt}](${svgFile})`;
  return pngFile === undefined ? image : `${image}\n\n(PNG: [${pngFile}](${pngFile}))`;
}
