export function dirname(path: string): string {
  const i = path.lastIndexOf('/');
  return i < 0 ? '' : path.slice(0, i);
}

export function basename(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

export function join(dir: string, name: string): string {
  const clean = name.replace(/^\/+/, '');
  return dir ? `${dir}/${clean}` : clean;
}

/** True when `path` is `dir` itself or inside it. */
export function isWithin(path: string, dir: string): boolean {
  return path === dir || path.startsWith(dir + '/');
}

/** Rewrites a path after `from` moved to `to` (for open tabs of a renamed folder). */
export function rebase(path: string, from: string, to: string): string {
  return path === from ? to : isWithin(path, from) ? to + path.slice(from.length) : path;
}
