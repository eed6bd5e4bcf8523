import { useEffect, useState } from 'react';

export type Theme = 'dark' | 'light';
const KEY = 'constellation.theme';

export function useTheme(): [Theme, (t: Theme) => void] {
  const [theme, setTheme] = useState<Theme>(() =>
    localStorage.getItem(KEY) === 'light' ? 'light' : 'dark',
  );
  useEffect(() => {
    document.documentElement.dataset.theme = theme;
    localStorage.setItem(KEY, theme);
    window.dispatchEvent(new CustomEvent('constellation-theme', { detail: theme }));
  }, [theme]);
  useEffect(() => {
    const on = (e: Event) => setTheme((e as CustomEvent<Theme>).detail);
    window.addEventListener('constellation-theme', on);
    return () => window.removeEventListener('constellation-theme', on);
  }, []);
  return [theme, setTheme];
}

export function monacoTheme(theme: Theme) {
  return theme === 'light' ? 'vs' : 'vs-dark';
}
