import type {
  CancellationToken as MonacoToken,
  IDisposable,
} from 'monaco-editor/editor/editor.api';
import {
  CodeActionRequest,
  CompletionRequest,
  CompletionResolveRequest,
  DefinitionRequest,
  DocumentFormattingRequest,
  HoverRequest,
  PrepareRenameRequest,
  ReferencesRequest,
  RenameRequest,
  SignatureHelpRequest,
  type CancellationToken,
  type CodeAction,
  type Command,
  type CompletionItem,
  type Location,
  type LocationLink,
} from 'vscode-languageserver-protocol/browser';
import {
  fromCompletionContext,
  fromPosition,
  fromRange,
  fromSignatureHelpContext,
  toCompletionItem,
  toHover,
  toRange,
  toSignatureHelp,
  toTextEdit,
} from 'monaco-languageserver-types';
import { monaco } from '../monaco';
import type { LspClient, Target } from './client';
import { toMarker } from './client';
import { MONACO_LANGUAGES, pathOfWorkspaceUri, type ServerLanguage } from './languages';

type Model = monaco.editor.ITextModel;
type Suggestion = monaco.languages.CompletionItem;

// Monaco's token has the same shape as vscode-jsonrpc's; passing it cancels the request on the server.
const tok = (t: MonacoToken) => t as unknown as CancellationToken;

/** Trigger characters Monaco listens for; a server's own list filters them per request. */
const TRIGGERS = ['.', '"', "'", '`', '/', '@', '<', '#', ':', '$', '-', '*'];

/** The LSP item behind each suggestion, for completionItem/resolve. */
const origins = new WeakMap<Suggestion, { item: CompletionItem; server: ServerLanguage }>();

/**
 * Monaco providers backed by the client's servers, one set per Monaco language. A model whose server
 * is not connected gets nothing from them, so Monaco's own behaviour (words, Monarch) stays.
 */
export function registerFeatures(client: LspClient): IDisposable[] {
  return MONACO_LANGUAGES.flatMap((lang) => [
    monaco.languages.registerCompletionItemProvider(lang, completion(client)),
    monaco.languages.registerHoverProvider(lang, {
      async provideHover(model, position, token) {
        const t = client.target(model);
        if (!t?.caps.hoverProvider) return null;
        const res = await t.conn.sendRequest(
          HoverRequest.type,
          { textDocument: { uri: t.uri }, position: fromPosition(position) },
          tok(token),
        );
        return res ? (toHover(res) as monaco.languages.Hover) : null;
      },
    }),
    monaco.languages.registerSignatureHelpProvider(lang, {
      signatureHelpTriggerCharacters: ['(', ','],
      signatureHelpRetriggerCharacters: [')'],
      async provideSignatureHelp(model, position, token, context) {
        const t = client.target(model);
        if (!t?.caps.signatureHelpProvider) return null;
        const res = await t.conn.sendRequest(
          SignatureHelpRequest.type,
          {
            textDocument: { uri: t.uri },
            position: fromPosition(position),
            context: fromSignatureHelpContext(context),
          },
          tok(token),
        );
        return res
          ? { value: toSignatureHelp(res) as monaco.languages.SignatureHelp, dispose() {} }
          : null;
      },
    }),
    monaco.languages.registerDefinitionProvider(lang, {
      async provideDefinition(model, position, token) {
        const t = client.target(model);
        if (!t?.caps.definitionProvider) return null;
        const res = await t.conn.sendRequest(
          DefinitionRequest.type,
          { textDocument: { uri: t.uri }, position: fromPosition(position) },
          tok(token),
        );
        return locations(client, res);
      },
    }),
    monaco.languages.registerReferenceProvider(lang, {
      async provideReferences(model, position, context, token) {
        const t = client.target(model);
        if (!t?.caps.referencesProvider) return null;
        const res = await t.conn.sendRequest(
          ReferencesRequest.type,
          {
            textDocument: { uri: t.uri },
            position: fromPosition(position),
            context: { includeDeclaration: context.includeDeclaration },
          },
          tok(token),
        );
        return locations(client, res);
      },
    }),
    monaco.languages.registerRenameProvider(lang, rename(client)),
    monaco.languages.registerDocumentFormattingEditProvider(lang, {
      async provideDocumentFormattingEdits(model, options, token) {
        const t = client.target(model);
        if (!t?.caps.documentFormattingProvider) return null;
        const edits = await t.conn.sendRequest(
          DocumentFormattingRequest.type,
          {
            textDocument: { uri: t.uri },
            options: { tabSize: options.tabSize, insertSpaces: options.insertSpaces },
          },
          tok(token),
        );
        return (edits ?? []).map((e) => toTextEdit(e) as monaco.languages.TextEdit);
      },
    }),
    monaco.languages.registerCodeActionProvider(lang, codeActions(client)),
  ]);
}

export function completion(client: LspClient): monaco.languages.CompletionItemProvider {
  return {
    triggerCharacters: TRIGGERS,
    async provideCompletionItems(model, position, context, token) {
      const t = client.target(model);
      const provider = t?.caps.completionProvider;
      if (!t || !provider) return undefined;
      if (
        context.triggerKind === monaco.languages.CompletionTriggerKind.TriggerCharacter &&
        !(provider.triggerCharacters ?? []).includes(context.triggerCharacter ?? '')
      )
        return undefined;
      const res = await t.conn.sendRequest(
        CompletionRequest.type,
        {
          textDocument: { uri: t.uri },
          position: fromPosition(position),
          context: fromCompletionContext(context),
        },
        tok(token),
      );
      if (!res) return undefined;
      const list = Array.isArray(res) ? { isIncomplete: false, items: res } : res;
      const word = model.getWordUntilPosition(position);
      const range = new monaco.Range(
        position.lineNumber,
        word.startColumn,
        position.lineNumber,
        word.endColumn,
      );
      const suggestions = list.items.map((item) => {
        const s = toCompletionItem(item, {
          range,
          itemDefaults: Array.isArray(res) ? undefined : res.itemDefaults,
        }) as Suggestion;
        if (item.command) s.command = serverCommand(client, t.server, item.command);
        origins.set(s, { item, server: t.server });
        return s;
      });
      return { suggestions, incomplete: list.isIncomplete };
    },
    async resolveCompletionItem(s, token) {
      const origin = origins.get(s);
      const t = origin && client.targetFor(origin.server, '');
      if (!origin || !t?.caps.completionProvider?.resolveProvider) return s;
      const resolved = await t.conn.sendRequest(
        CompletionResolveRequest.type,
        origin.item,
        tok(token),
      );
      const r = toCompletionItem(resolved, { range: s.range }) as Suggestion;
      return {
        ...s,
        detail: r.detail ?? s.detail,
        documentation: r.documentation ?? s.documentation,
        additionalTextEdits: r.additionalTextEdits ?? s.additionalTextEdits,
      };
    },
  };
}

function rename(client: LspClient): monaco.languages.RenameProvider {
  return {
    async provideRenameEdits(model, position, newName, token) {
      const t = client.target(model);
      if (!t?.caps.renameProvider) return null;
      const edit = await t.conn.sendRequest(
        RenameRequest.type,
        { textDocument: { uri: t.uri }, position: fromPosition(position), newName },
        tok(token),
      );
      if (!edit) return { edits: [], rejectReason: 'Nothing to rename here.' };
      // Applied by us rather than by Monaco: files without a tab are changed through the files API.
      const result = await client.applyEdit(edit);
      return result.applied
        ? { edits: [] }
        : {
            edits: [],
            rejectReason: `Not renamed in ${result.failures.map((f) => f.path).join(', ')}: ${result.failures[0].reason}`,
          };
    },
    async resolveRenameLocation(model, position, token) {
      const t = client.target(model);
      const word = model.getWordAtPosition(position);
      const wordRange = word
        ? new monaco.Range(
            position.lineNumber,
            word.startColumn,
            position.lineNumber,
            word.endColumn,
          )
        : null;
      const provider = t?.caps.renameProvider;
      if (!t || !provider)
        return { range: wordRange!, text: '', rejectReason: 'Rename is not available here.' };
      if (typeof provider !== 'object' || !provider.prepareProvider)
        return wordRange
          ? { range: wordRange, text: word!.word }
          : {
              range: new monaco.Range(1, 1, 1, 1),
              text: '',
              rejectReason: 'Place the cursor on a name.',
            };
      const res = await t.conn.sendRequest(
        PrepareRenameRequest.type,
        { textDocument: { uri: t.uri }, position: fromPosition(position) },
        tok(token),
      );
      if (!res)
        return {
          range: wordRange ?? new monaco.Range(1, 1, 1, 1),
          text: '',
          rejectReason: 'This element cannot be renamed.',
        };
      if ('defaultBehavior' in res) return { range: wordRange!, text: word?.word ?? '' };
      if ('placeholder' in res) return { range: toRange(res.range), text: res.placeholder };
      const range = toRange(res);
      return { range, text: model.getValueInRange(range) };
    },
  };
}

function codeActions(client: LspClient): monaco.languages.CodeActionProvider {
  return {
    async provideCodeActions(model, range, context, token) {
      const t = client.target(model);
      if (!t?.caps.codeActionProvider) return undefined;
      const res = await t.conn.sendRequest(
        CodeActionRequest.type,
        {
          textDocument: { uri: t.uri },
          range: fromRange(range),
          context: {
            diagnostics: client.diagnosticsIn(t.server, t.path, range),
            only: context.only ? [context.only] : undefined,
          },
        },
        tok(token),
      );
      const actions = (res ?? []).map((a): monaco.languages.CodeAction =>
        isCommand(a)
          ? { title: a.title, command: serverCommand(client, t.server, a) }
          : {
              title: a.title,
              kind: a.kind,
              isPreferred: a.isPreferred,
              disabled: a.disabled?.reason,
              diagnostics: a.diagnostics?.map(toMarker),
              // Edits go through the client so files without a tab are changed on disk too.
              command: {
                id: client.codeActionCommandId,
                title: a.title,
                arguments: [t.server, a],
              },
            },
      );
      return { actions, dispose() {} };
    },
  };
}

function isCommand(a: Command | CodeAction): a is Command {
  return typeof (a as Command).command === 'string';
}

function serverCommand(
  client: LspClient,
  server: ServerLanguage,
  cmd: Command,
): monaco.languages.Command {
  return { id: client.execCommandId, title: cmd.title, arguments: [server, cmd] };
}

/** Server locations → Monaco locations on models of this project (read in when not open). */
async function locations(
  client: LspClient,
  res: Location | Location[] | LocationLink[] | null,
): Promise<monaco.languages.Location[]> {
  if (!res) return [];
  const list = Array.isArray(res) ? res : [res];
  const out: monaco.languages.Location[] = [];
  for (const l of list) {
    const uri = 'targetUri' in l ? l.targetUri : l.uri;
    const range = 'targetUri' in l ? l.targetSelectionRange : l.range;
    const path = pathOfWorkspaceUri(uri);
    if (path === null) continue;
    const modelUri = await client.ensureModel(path);
    if (modelUri) out.push({ uri: modelUri, range: toRange(range) });
  }
  return out;
}

export type { Model, Target };
