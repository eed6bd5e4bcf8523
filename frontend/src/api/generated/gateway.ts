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
        RegisterRequest: { email: string; password: string; displayName: string };
        LoginRequest: { email: string; password: string };
        RefreshRequest: { refreshToken: string };
        LogoutRequest: { refreshToken: string };
        UserResponse: {
            id: string;
            email: string;
            displayName: string;
            roles: ("USER" | "ADMIN")[];
            createdAt?: string;
            disabled?: boolean;
        };
        /** GET /api/users/lookup?email= and GET /api/users?ids=: what a teammate may see of another user. */
        UserSummary: {
            id: string;
            email: string;
            displayName: string;
        };
        AuthResponse: {
            user: components["schemas"]["UserResponse"];
            accessToken: string;
            refreshToken: string;
            /** Format: int64 — seconds */
            expiresIn: number;
        };
        UpdateUserRequest: { roles?: ("USER" | "ADMIN")[]; disabled?: boolean };
        PageUserResponse: {
            items: components["schemas"]["UserResponse"][];
            page: number;
            size: number;
            total: number;
        };
        HealthResponse: {
            status: "UP" | "DEGRADED" | "DOWN";
            services: { [name: string]: string };
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
