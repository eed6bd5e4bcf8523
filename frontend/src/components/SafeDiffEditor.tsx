import { useLayoutEffect, useRef } from 'react';
import { DiffEditor, type DiffEditorProps } from '@monaco-editor/react';
import type { editor } from 'monaco-editor';

/**
 * Monaco's diff editor, released in the right order. The library's DiffEditor disposes its two
 * models before the widget that still shows them, which Monaco (0.52+) reports as "TextModel got
 * disposed before DiffEditorWidget model got reset" on every unmount (suren-atoyan/monaco-react#647).
 * Here the library keeps its hands off the models, and a layout-effect cleanup — which React runs
 * before the library's passive one, while the widget still lives — detaches them, then disposes them.
 */
export function SafeDiffEditor({ onMount, ...props }: DiffEditorProps) {
  const widget = useRef<editor.IStandaloneDiffEditor | null>(null);
  useLayoutEffect(
    () => () => {
      const w = widget.current;
      widget.current = null;
      const models = w?.getModel();
      w?.setModel(null);
      models?.original.dispose();
      models?.modified.dispose();
    },
    [],
  );
  return (
    <DiffEditor
      {...props}
      keepCurrentOriginalModel
      keepCurrentModifiedModel
      onMount={(w, monaco) => {
        widget.current = w;
        onMount?.(w, monaco);
      }}
    />
  );
}
