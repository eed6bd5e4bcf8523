/**
 * HAND-WRITTEN STAND-IN for openapi-typescript output (see README.md in this folder).
 * Regenerate with `npm run gen` once the service serves /v3/api-docs.
 */
export type paths = Record<string, never>;
export type webhooks = Record<string, never>;
export type $defs = Record<string, never>;
export type operations = Record<string, never>;

export interface components {
    schemas: {
        UsageResponse: {
            inputTokens: number;
            outputTokens: number;
            cacheReadInputTokens?: number;
            cacheCreationInputTokens?: number;
        };
        MessageResponse: {
            id: string;
            role: "user" | "assistant";
            content: string;
            createdAt?: string;
            usage?: components["schemas"]["UsageResponse"];
        };
        ConversationResponse: {
            id: string;
            projectId?: string;
            title?: string;
            createdAt?: string;
            updatedAt?: string;
            messages?: components["schemas"]["MessageResponse"][];
        };
        CreateConversationRequest: { title?: string };
        SelectionContext: { path: string; startLine: number; endLine: number };
        MessageContext: { files?: string[]; selection?: components["schemas"]["SelectionContext"] };
        SendMessageRequest: { content: string; context?: components["schemas"]["MessageContext"] };
        DoneEvent: { messageId: string; usage: components["schemas"]["UsageResponse"] };
        DeltaEvent: { text: string };
        ProposeEditsRequest: { instruction: string; paths?: string[] };
        ProposedEdit: {
            path: string;
            action: "create" | "modify" | "delete";
            content?: string;
            diff?: string;
        };
        ProposeEditsResponse: { summary: string; edits: components["schemas"]["ProposedEdit"][] };
        PageConversationResponse: {
            items: components["schemas"]["ConversationResponse"][];
            page: number;
            size: number;
            total: number;
        };
        ProblemDetail: {
            type?: string;
            title?: string;
            status?: number;
            detail?: string;
            instance?: string;
            requestId?: string;
        };
    };
    responses: never;
    parameters: never;
    requestBodies: never;
    headers: never;
    pathItems: never;
}
