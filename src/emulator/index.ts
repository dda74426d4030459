/**
 * Public surface of the Defender REST API emulator: an in-process WHATWG handler first
 * (`createEmulator().fetch`), an HTTP server second, plus the demo dataset and unsigned demo tokens.
 */
export { createEmulator } from './app.js';
export { DEFAULT_AUDIENCES } from './auth.js';
export { createDemoDataset, type DemoDatasetOptions } from './dataset/generate.js';
export type { Dataset, Installation, KbRecord, MachineDto, VulnerabilityRecord } from './dataset/types.js';
export type {
  Fault,
  FaultController,
  FaultHandle,
  FaultKind,
  FaultMatch,
  FaultRule,
  HangFault,
  HtmlFault,
  LatencyFault,
  MalformedJsonFault,
  ResetFault,
  StatusFault,
  StormFault,
  WrongShapeFault,
} from './faults.js';
export { parseFaultRules } from './faults-schema.js';
export type { QuotaWindow } from './quota.js';
export { type EmulatorServerOptions, type RunningEmulator, startEmulatorServer } from './server.js';
export { DEMO_APP_ID, DEMO_TENANT_ID, demoTokenClaims, mintUnsignedToken } from './tokens.js';
export type { Emulator, EmulatorOptions, RequestLogEntry } from './types.js';
