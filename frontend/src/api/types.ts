// The one place that maps generated schema names to the names the app uses.
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
export type AuthResponse = G['AuthResponse'];
export type Health = G['HealthResponse'];
export type Problem = G['ProblemDetail'];

export type Template = P['TemplateResponse'];
export type Project = P['ProjectResponse'];
export type Member = P['MemberResponse'];
export type Role = Member['role'];

export type Workspace = W['WorkspaceResponse'];
export type WorkspaceStatus = Workspace['status'];
export type FileEntry = W['FileEntryResponse'];
export type WriteResult = W['WriteFileResponse'];
export type ExecResult = W['ExecResponse'];
export type Ticket = W['TicketResponse'];

export type Usage = C['UsageResponse'];
export type Message = C['MessageResponse'];
export type Conversation = C['ConversationResponse'];
export type MessageContext = C['MessageContext'];
export type ProposedEdit = C['ProposedEdit'];
export type ProposedEdits = C['ProposeEditsResponse'];

export interface Page<T> {
  items: T[];
  page: number;
  size: number;
  total: number;
}
