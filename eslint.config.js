// Typed linting for the whole project; see ../shared/conventions.md habit 12.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import hivelab from './eslint-rules/index-only-imports.js';

export default tseslint.config(
  {
    ignores: [
      'dist/',
      'node_modules/',
      'coverage/',
      '.hivelab/',
      'bench/results/',
      'test-artifacts/',
      '**/*.js',
      '**/*.cjs',
      '**/*.mjs',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': 'error',
      'no-restricted-syntax': [
        'error',
        { selector: 'ExportAllDeclaration', message: 'Name the exports; no export *.' },
      ],
    },
  },
  {
    // Other subsystems only through their index.ts: see eslint-rules/index-only-imports.js.
    // bench/ and ui/ reach src/ through the same faces.
    files: ['src/**/*.ts', 'src/**/*.tsx', 'bench/**/*.ts', 'ui/**/*.ts', 'ui/**/*.tsx'],
    plugins: { hivelab },
    rules: {
      'hivelab/index-only-imports': ['error', { srcDir: `${import.meta.dirname}/src` }],
    },
  },
  {
    files: ['src/cli/**', 'bench/**'],
    rules: { 'no-console': 'off' },
  },
  {
    files: ['**/*.test.ts', 'bench/**'],
    rules: {
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
);
