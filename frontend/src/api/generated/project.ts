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
        TemplateResponse: { id: string; name: string; description?: string; language?: string };
        MemberResponse: { userId: string; role: "VIEWER" | "EDITOR" | "OWNER"; email?: string; displayName?: string };
        ProjectResponse: {
            id: string;
            name: string;
            description?: string;
            templateId?: string;
            ownerId: string;
            members: components["schemas"]["MemberResponse"][];
            createdAt?: string;
            updatedAt?: string;
            lastOpenedAt?: string;
        };
        CreateProjectRequest: { name: string; description?: string; templateId: string };
        UpdateProjectRequest: { name?: string; description?: string };
        SetMemberRequest: { role: "VIEWER" | "EDITOR" | "OWNER" };
        PageProjectResponse: {
            items: components["schemas"]["ProjectResponse"][];
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
