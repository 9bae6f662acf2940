// A local ESLint rule (conventions habit 1): a module imports another subsystem only
// through that subsystem's face, `src/<subsystem>/index.ts`. Tests and test support may
// also use the subsystem's test face, `src/<subsystem>/testing/index.ts`. Files at the top
// of src/ (errors.ts, package-root.ts, index.ts) are shared by all and import freely.
// Files outside src/ (bench/, ui/) are held to the same faces, with one allowance: a
// benchmark times a subsystem's parts, so the face of one of its folders
// (`platform/autoscaler/index.ts`) is allowed from there; a module past any face is not.
import fs from 'node:fs';
import path from 'node:path';

/** Path of a relative import, as the TypeScript file it names (`./x.js` → `./x.ts`). */
function resolveSpecifier(fromFile, specifier) {
  const target = path.resolve(path.dirname(fromFile), specifier);
  for (const candidate of [target.replace(/\.js$/, '.ts'), target.replace(/\.js$/, '.tsx'), target]) {
    if (fs.existsSync(candidate) && fs.statSync(candidate).isFile()) return candidate;
  }
  return target.replace(/\.js$/, '.ts');
}

function isTestSupport(file) {
  return /\.test\.tsx?$/.test(file) || file.split(path.sep).includes('testing');
}

/** The verdict for one import, or undefined when it is allowed. */
export function checkImport(srcDir, fromFile, specifier) {
  if (!specifier.startsWith('.')) return undefined;
  const target = resolveSpecifier(fromFile, specifier);
  const targetRel = path.relative(srcDir, target);
  if (targetRel.startsWith('..') || path.isAbsolute(targetRel)) return undefined; // not into src/
  const targetParts = targetRel.split(path.sep);
  if (targetParts.length === 1) return undefined; // a shared top-level file of src/
  const fromRel = path.relative(srcDir, fromFile);
  const inSrc = !fromRel.startsWith('..') && !path.isAbsolute(fromRel);
  const fromParts = fromRel.split(path.sep);
  const targetSub = targetParts[0];
  if (inSrc && fromParts.length > 1 && fromParts[0] === targetSub) return undefined; // same subsystem
  const rest = targetParts.slice(1).join('/');
  if (rest === 'index.ts') return undefined;
  if (!inSrc && rest.endsWith('/index.ts') && !rest.split('/').includes('testing')) return undefined;
  if (rest === 'testing/index.ts' && isTestSupport(fromFile)) return undefined;
  return { targetSub, targetRel: targetParts.join('/') };
}

/** @type {import('eslint').Rule.RuleModule} */
const rule = {
  meta: {
    type: 'problem',
    docs: {
      description: 'Import another subsystem only through its index.ts (or testing/index.ts from tests)',
    },
    schema: [
      {
        type: 'object',
        properties: {
          srcDir: { type: 'string' },
        },
        required: ['srcDir'],
      },
    ],
    messages: {
      pastIndex:
        "'{{specifier}}' reaches past the face of {{targetSub}}/ ({{targetRel}}): import it from '{{targetSub}}/index.js' (tests: '{{targetSub}}/testing/index.js'), exporting it there if it is meant to be public.",
    },
  },
  create(context) {
    const { srcDir } = context.options[0];
    const check = (node) => {
      if (!node || node.type !== 'Literal' || typeof node.value !== 'string') return;
      const verdict = checkImport(srcDir, context.filename, node.value);
      if (verdict)
        context.report({ node, messageId: 'pastIndex', data: { specifier: node.value, ...verdict } });
    };
    return {
      ImportDeclaration: (node) => check(node.source),
      ExportNamedDeclaration: (node) => check(node.source),
      ExportAllDeclaration: (node) => check(node.source),
      ImportExpression: (node) => check(node.source),
    };
  },
};

export default { rules: { 'index-only-imports': rule } };
