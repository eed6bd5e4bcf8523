/** The language servers the workspace offers (`/lsp/{language}`), one connection each. */
export type ServerLanguage =
  'typescript' | 'python' | 'json' | 'css' | 'html' | 'yaml' | 'markdown';

export interface LspLanguage {
  server: ServerLanguage;
  /** The LSP `languageId` of the document (`typescriptreact` for .tsx, …). */
  languageId: string;
}

const BY_EXT: Record<string, LspLanguage> = {
  ts: { server: 'typescript', languageId: 'typescript' },
  mts: { server: 'typescript', languageId: 'typescript' },
  cts: { server: 'typescript', languageId: 'typescript' },
  tsx: { server: 'typescript', languageId: 'typescriptreact' },
  js: { server: 'typescript', languageId: 'javascript' },
  mjs: { server: 'typescript', languageId: 'javascript' },
  cjs: { server: 'typescript', languageId: 'javascript' },
  jsx: { server: 'typescript', languageId: 'javascriptreact' },
  py: { server: 'python', languageId: 'python' },
  pyi: { server: 'python', languageId: 'python' },
  json: { server: 'json', languageId: 'json' },
  jsonc: { server: 'json', languageId: 'jsonc' },
  css: { server: 'css', languageId: 'css' },
  scss: { server: 'css', languageId: 'scss' },
  less: { server: 'css', languageId: 'less' },
  html: { server: 'html', languageId: 'html' },
  htm: { server: 'html', languageId: 'html' },
  yaml: { server: 'yaml', languageId: 'yaml' },
  yml: { server: 'yaml', languageId: 'yaml' },
  md: { server: 'markdown', languageId: 'markdown' },
  markdown: { server: 'markdown', languageId: 'markdown' },
};

export function lspLanguageOf(path: string): LspLanguage | null {
  const name = path.split('/').pop()?.toLowerCase() ?? '';
  const dot = name.lastIndexOf('.');
  return dot < 0 ? null : (BY_EXT[name.slice(dot + 1)] ?? null);
}

/** Monaco language ids (modules/languages.ts) whose models a server may serve. */
export const MONACO_LANGUAGES = [
  'typescript',
  'javascript',
  'python',
  'json',
  'css',
  'scss',
  'less',
  'html',
  'yaml',
  'markdown',
];

/** What the workspace's language servers see as the project root. */
export const WORKSPACE_ROOT = 'file:///workspace';

/** Project path → the URI the server knows (`file:///workspace/<path>`, segments encoded). */
export function workspaceUri(path: string): string {
  return `${WORKSPACE_ROOT}/${path.split('/').map(encodeURIComponent).join('/')}`;
}

/** The server's URI → project path; null for anything outside the project root. */
export function pathOfWorkspaceUri(uri: string): string | null {
  const prefix = `${WORKSPACE_ROOT}/`;
  if (!uri.startsWith(prefix)) return null;
  let segments: string[];
  try {
    segments = uri.slice(prefix.length).split('/').map(decodeURIComponent);
  } catch {
    return null;
  }
  if (segments.some((s) => s === '' || s === '.' || s === '..')) return null;
  return segments.join('/');
}
