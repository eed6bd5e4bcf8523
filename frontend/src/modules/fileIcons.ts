// A small hand-made map instead of an icon theme package: a few KB rather than megabytes of SVGs.
const BY_EXT: Record<string, string> = {
  ts: '🟦',
  tsx: '⚛',
  js: '🟨',
  jsx: '⚛',
  mjs: '🟨',
  cjs: '🟨',
  json: '🔧',
  md: '📝',
  markdown: '📝',
  txt: '📄',
  py: '🐍',
  java: '☕',
  kt: '🟪',
  go: '🐹',
  rs: '🦀',
  rb: '💎',
  php: '🐘',
  c: '🔷',
  h: '🔷',
  cpp: '🔷',
  cs: '🟩',
  html: '🌐',
  htm: '🌐',
  css: '🎨',
  scss: '🎨',
  sh: '🐚',
  bash: '🐚',
  yml: '⚙',
  yaml: '⚙',
  toml: '⚙',
  xml: '📰',
  sql: '🗃',
  png: '🖼',
  jpg: '🖼',
  jpeg: '🖼',
  gif: '🖼',
  webp: '🖼',
  svg: '🖼',
  ico: '🖼',
  pdf: '📕',
  zip: '📦',
  gz: '📦',
  tar: '📦',
  jar: '📦',
  lock: '🔒',
};
const BY_NAME: Record<string, string> = {
  'package.json': '📦',
  dockerfile: '🐳',
  makefile: '🛠',
  '.gitignore': '🙈',
  'pom.xml': '🪶',
  license: '⚖',
};

/** An icon for a tree row or a tab, chosen by file name and extension. */
export function fileIcon(path: string, type: 'file' | 'dir', open = false): string {
  if (type === 'dir') return open ? '📂' : '📁';
  const name = path.slice(path.lastIndexOf('/') + 1).toLowerCase();
  if (BY_NAME[name]) return BY_NAME[name];
  const dot = name.lastIndexOf('.');
  return (dot > 0 && BY_EXT[name.slice(dot + 1)]) || '📄';
}
