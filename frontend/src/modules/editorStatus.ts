import { useEffect, useState } from 'react';
import type { monaco } from './monaco';

export interface EditorStatus {
  line: number;
  column: number;
  /** Characters selected (all selections together); 0 when nothing is selected. */
  selected: number;
  /** Lines the selections span, shown when more than one. */
  selectedLines: number;
  language: string;
  eol: 'LF' | 'CRLF';
  /** "Spaces: 2" or "Tab Size: 4", as VS Code says it. */
  indentation: string;
}

type Editor = monaco.editor.IStandaloneCodeEditor;

export function readEditorStatus(editor: Editor): EditorStatus | null {
  const model = editor.getModel();
  const pos = editor.getPosition();
  if (!model || !pos) return null;
  const selections = editor.getSelections() ?? [];
  let selected = 0;
  let selectedLines = 0;
  for (const s of selections) {
    if (s.isEmpty()) continue;
    selected += model.getValueLengthInRange(s);
    selectedLines += s.endLineNumber - s.startLineNumber + 1;
  }
  const opts = model.getOptions();
  return {
    line: pos.lineNumber,
    column: pos.column,
    selected,
    selectedLines,
    language: model.getLanguageId(),
    eol: model.getEOL() === '\r\n' ? 'CRLF' : 'LF',
    indentation: opts.insertSpaces ? `Spaces: ${opts.indentSize}` : `Tab Size: ${opts.tabSize}`,
  };
}

/** The status bar's view of an editor, kept current as the cursor, model and options change. */
export function useEditorStatus(editor: Editor | null): EditorStatus | null {
  const [status, setStatus] = useState<EditorStatus | null>(null);
  useEffect(() => {
    if (!editor) {
      setStatus(null);
      return;
    }
    const update = () => setStatus(readEditorStatus(editor));
    update();
    const subs = [
      editor.onDidChangeCursorSelection(update),
      editor.onDidChangeModel(update),
      editor.onDidChangeModelLanguage(update),
      editor.onDidChangeModelOptions(update),
      editor.onDidChangeModelContent(update),
    ];
    return () => subs.forEach((s) => s.dispose());
  }, [editor]);
  return status;
}
