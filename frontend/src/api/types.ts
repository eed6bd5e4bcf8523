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
export type Message = C['MessageResponse'];
export type Conversation = C['ConversationResponse'];
export type ConversationPage = C['PageResponseConversationResponse'];
export type MessageContext = C['Context'];
export type ProposedEdit = C['ProposedEdit'];
export type ProposedEdits = C['ProposeEditsResponse'];
