// The process-wide state a test file could leave behind for the next file in the same process:
// compared before and after each file of the shared set (test/shared-process-guard.ts).

/** Events whose listeners outlive the file that added them. */
const EVENTS = ['exit', 'beforeExit', 'uncaughtException', 'unhandledRejection', 'warning', 'SIGINT', 'SIGTERM', 'SIGHUP'] as const;

export interface ProcessState {
  cwd: string;
  exitCode: number | string | undefined;
  env: Record<string, string | undefined>;
  listeners: Record<string, number>;
}

export function processState(): ProcessState {
  return {
    cwd: process.cwd(),
    exitCode: process.exitCode,
    env: { ...process.env },
    listeners: Object.fromEntries(EVENTS.map((e) => [e, process.listenerCount(e)])),
  };
}
