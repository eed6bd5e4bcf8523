import { jsonDefaults } from 'monaco-editor/languages/features/json/register';

/**
 * Monaco's own JSON service (the only built-in language service bundled, see modules/monaco.ts)
 * would answer next to the JSON server: completions, hovers and squiggles twice. While the server is
 * connected only its highlighting, folding and symbols stay on.
 */
export function setBuiltinJson(on: boolean) {
  jsonDefaults.setModeConfiguration({
    documentFormattingEdits: on,
    documentRangeFormattingEdits: on,
    completionItems: on,
    hovers: on,
    diagnostics: on,
    documentSymbols: true,
    tokens: true,
    colors: true,
    foldingRanges: true,
    selectionRanges: true,
  });
}
