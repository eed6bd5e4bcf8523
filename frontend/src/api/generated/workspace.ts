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
        WorkspaceResponse: {
            projectId: string;
            status: "STOPPED" | "STARTING" | "RUNNING" | "STOPPING" | "FAILED";
            runtime?: string;
            startedAt?: string;
            lastActivityAt?: string;
        };
        FileEntryResponse: {
            name: string;
            path: string;
            type: "file" | "dir";
            size?: number;
            modifiedAt?: string;
        };
        WriteFileResponse: { path: string; etag: string; size: number };
        MoveRequest: { from: string; to: string };
        ExecRequest: { command: string; timeoutSeconds?: number };
        ExecResponse: { exitCode: number; stdout: string; stderr: string; timedOut: boolean };
        TicketResponse: { ticket: string; expiresIn: number };
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
