// The one place that maps generated schema names (the services' record names) to the names the app uses.
import type { components as Gateway } from './generated/gateway';
import type { components as ProjectApi } from './generated/project';
import type { components as WorkspaceApi } from './generated/workspace';
import type { components as ClaudeApi } from './generated/claude';

type G = Gateway['schemas'];
type P = ProjectApi['schemas'];
type W = WorkspaceApi['schemas'];
type C = ClaudeApi['schemas'];

export type User = G['UserResponse'];
export type UserSummary = G['UserSummary'];
export type AuthResponse = G['TokenResponse'];
export type Health = G['HealthResponse'];
export type Problem = G['ProblemDetail'];
export type UserPage = G['Page'];

export type Template = P['Template'];
export type Project = P['ProjectResponse'];
export type ProjectPage = P['PageResponseProjectResponse'];
export type Member = P['Member'];
export type Role = Member['role'];

export type Workspace = W['WorkspaceResponse'];
export type WorkspaceStatus = Workspace['status'];
export type FileEntry = W['FileEntry'];
export type WriteResult = W['WriteResult'];
export type ExecResult = W['ExecResult'];
export type Ticket = W['Issued'];

export type Usage = C['UsageResponse'];
export type UsagePage = C['UsagePage'];
export type UsageRow = C['UsageRow'];
/** Today's AI spend of the caller and of a project against their daily budgets (0 = unlimited). */
export type ProjectAiUsage = C['ProjectUsageResponse'];
export type Message = C['MessageResponse'];
export type Conversation = C['ConversationResponse'];
export type ConversationPage = C['PageResponseConversationResponse'];
export type MessageContext = C['Context'];
export type ProposedEdit = C['ProposedEdit'];
export type ProposedEdits = C['ProposeEditsResponse'];

// Issue 12's workspace contracts (docs/api-contract.md), written by hand until `make gen` runs
// against the merged workspace-service and gateway; then point these at the generated schema names.
export type Preferences = G['Preferences'];
/** `GET /api/auth/me` (G['MeResponse']) has them; the sign-in answer's user does not. */
export type Me = User & { preferences?: Preferences };
export type WorkspacePhase = 'creating' | 'starting' | 'ready' | 'stopping' | 'stopped' | 'failed';
export interface WorkspaceStatusEvent {
  projectId: string;
  status: WorkspaceStatus;
  phase?: WorkspacePhase;
  reason?: string | null;
  runtime?: string;
}
export interface IdleWarning {
  stopsAt: string;
}
export interface PortShare {
  url: string;
  expiresAt: string;
}
export interface Port {
  port: number;
  url: string;
  share?: PortShare | null;
}
export interface TerminalSessionInfo {
  id: string;
  title: string;
  command?: string | null;
  createdAt?: string;
  attached?: boolean;
}
export interface WorkspaceSettings {
  image: string;
  memoryMb: number;
  cpus: number;
  limits: { images: string[]; maxMemoryMb: number; maxCpus: number };
}

/** One change in a `files` event of the workspace stream. */
export interface FileChange {
  path: string;
  kind: 'created' | 'modified' | 'deleted';
}
/** `overflow`: too many changes (or some were missed): list again instead of patching. */
export interface FilesEvent {
  changes: FileChange[];
  overflow: boolean;
}
