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
export type WorkspacePhase =
  'creating' | 'starting' | 'resuming' | 'ready' | 'paused' | 'stopping' | 'stopped' | 'failed';
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

// Issue 11's agent contract (docs/api-contract.md). The stream's events are not in any OpenAPI
// document, so they are written here; the REST bodies point at the generated schemas.
export type ChatMode = 'ask' | 'agent';
/** Tokens of one model call, a turn or a conversation, with what they cost. */
export interface TokenUsage {
  inputTokens: number;
  outputTokens: number;
  cacheReadInputTokens: number;
  cacheCreationInputTokens: number;
  costUsd?: number | null;
}
export interface ChangeSetEntry {
  path: string;
  action: 'create' | 'modify' | 'delete';
  before?: string | null;
  after?: string | null;
}
export type Approval =
  { kind: 'edit'; changes: ChangeSetEntry[] } | { kind: 'command'; command: string };
export type StepStatus =
  'running' | 'awaiting-approval' | 'ok' | 'error' | 'denied' | 'cancelled' | 'timeout';
export type ApprovedBy = 'user' | 'auto-edits' | 'auto-pattern' | 'read-only' | null;
export interface TurnStart {
  turnId: string;
  mode: ChatMode;
  model: string;
  contextWindow: number;
}
export interface ToolCall {
  stepId: string;
  step: number;
  tool: string;
  input: Record<string, unknown>;
  status: 'running' | 'awaiting-approval';
  approval?: Approval;
}
export interface ToolOutput {
  stepId: string;
  text: string;
}
export interface ToolResult {
  stepId: string;
  status: Exclude<StepStatus, 'running' | 'awaiting-approval'>;
  output: string;
  approvedBy: ApprovedBy;
  exitCode?: number | null;
  durationMs: number;
  checkpointId?: string | null;
}
export interface CheckpointTaken {
  checkpointId: string;
  createdAt: string;
  fileCount: number;
}
export interface UsageUpdate {
  step: TokenUsage;
  turn: TokenUsage;
  conversation: TokenUsage;
  context: { usedTokens: number; windowTokens: number };
  cacheHitRate: number;
}
export interface LimitReached {
  reason: 'budget' | 'max-steps' | 'max-tokens' | 'wall-time';
  detail: string;
}
export interface TurnDone {
  messageId: string;
  usage: TokenUsage;
  stopReason?: 'end_turn' | 'stopped' | 'limit';
}
/** A tool call as stored with its assistant message. */
export interface StoredStep {
  id: string;
  step: number;
  tool: string;
  input: Record<string, unknown>;
  status: StepStatus;
  output?: string | null;
  approvedBy?: ApprovedBy;
  exitCode?: number | null;
  checkpointId?: string | null;
}
export type AgentMessage = Omit<Message, 'usage' | 'steps'> & {
  steps?: StoredStep[] | null;
  usage?: TokenUsage | null;
};
export type AgentConversation = Omit<Conversation, 'messages'> & {
  messages?: AgentMessage[];
  usage?: TokenUsage | null;
  contextTokens?: number | null;
  permissions?: Permissions | null;
};
export type Permissions = C['Permissions'];
export interface StepDecision {
  decision: 'approve' | 'deny';
  allow?: 'edits' | 'command';
  pattern?: string;
}
export interface Checkpoint {
  id: string;
  createdAt: string;
  label?: string | null;
  fileCount: number;
  bytes: number;
  createdBy?: string;
}
export interface CheckpointDiffFile {
  path: string;
  status: 'added' | 'modified' | 'deleted';
  before?: string | null;
  after?: string | null;
  binary: boolean;
}
export interface CheckpointDiff {
  files: CheckpointDiffFile[];
}
export type RestoreResult = W['RestoreResponse'];
export type BudgetToday = ProjectAiUsage['today']['user'];
export type AiUsageToday = ProjectAiUsage;
