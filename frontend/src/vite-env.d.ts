/// <reference types="vite/client" />

// Deep imports of monaco-editor's ESM tree (see modules/monaco.ts) carry no .d.ts of their own.
declare module 'monaco-editor/*';
declare module 'monaco-css/*';
