/**
 * The ImageNet class names vSwarm's recog answers with, from `imagenet_labels.txt` (a Python
 * dict literal, one `N: 'name',` per line, as vSwarm ships it), shipped in the package.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { packageRoot } from '../../package-root.js';

/** Absolute path of the shipped labels file. */
export const IMAGENET_LABELS_PATH: string = path.join(
  packageRoot,
  'assets',
  'video-analytics',
  'imagenet_labels.txt',
);

const LINE = /^\s*\{?\s*(\d+)\s*:\s*(['"])(.*)\2\s*,?\s*\}?\s*$/;

/**
 * Pure: the labels file's text → names by class index.
 * @throws Error naming the first line that is not `N: 'name',` or an index that is missing
 */
export function parseImagenetLabels(text: string): string[] {
  const labels: string[] = [];
  text.split('\n').forEach((line, i) => {
    if (line.trim() === '') return;
    const match = LINE.exec(line);
    if (!match)
      throw new Error(`imagenet labels line ${i + 1}: expected N: 'name', got ${JSON.stringify(line)}`);
    labels[Number(match[1])] = match[3] ?? '';
  });
  for (let i = 0; i < labels.length; i++) {
    if (labels[i] === undefined) throw new Error(`imagenet labels: class ${i} is missing`);
  }
  return labels;
}

/** Reads and parses the labels file (default: the shipped one). */
export function loadImagenetLabels(file = IMAGENET_LABELS_PATH): string[] {
  return parseImagenetLabels(readFileSync(file, 'utf8'));
}
