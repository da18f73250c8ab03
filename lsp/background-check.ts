// Checks large intents on a worker thread. The main thread sends the files' texts and gets the
// diagnostics back; it stays free to read messages and answer other requests meanwhile. Only
// the newest contents of a project are checked: a request made while one runs replaces any
// request still waiting for that project.

import { Worker } from 'node:worker_threads';
import type { Diagnostic } from '../language/diagnostic.js';

export interface CheckRequest {
  id: number;
  projectId: string;
  files: { name: string; text: string }[];
}

/** Tells the worker to drop what it keeps for a project (its last document closed). */
export interface ForgetRequest {
  forget: string;
}

/** `cpuMillis`: the process's CPU during the check (the worker's, nearly all of it; see check-worker.ts). */
export type CheckReply = { id: number; diagnostics: Diagnostic[]; millis: number; cpuMillis: number } | { id: number; error: string };

interface Waiting {
  request: CheckRequest;
  resolve: (reply: CheckReply) => void;
}

export class BackgroundChecker {
  private worker: Worker | undefined;
  private nextId = 1;
  private running: Waiting | undefined;
  private readonly queue: Waiting[] = [];
  private broken = false;

  constructor(private readonly log: (message: string) => void) {}

  /** False once the worker could not start or died: the caller checks on its own thread then. */
  get available(): boolean {
    return !this.broken;
  }

  check(projectId: string, files: { name: string; text: string }[]): Promise<CheckReply> {
    return new Promise((resolve) => {
      const request: CheckRequest = { id: this.nextId++, projectId, files };
      const stale = this.queue.findIndex((w) => w.request.projectId === projectId);
      if (stale >= 0) {
        const [old] = this.queue.splice(stale, 1);
        old!.resolve({ id: old!.request.id, error: 'superseded' });
      }
      this.queue.push({ request, resolve });
      this.pump();
    });
  }

  forget(projectId: string): void {
    this.worker?.postMessage({ forget: projectId } satisfies ForgetRequest);
  }

  private start(): Worker {
    const worker = new Worker(new URL('./check-worker.js', import.meta.url));
    worker.on('message', (reply: CheckReply) => {
      const done = this.running;
      this.running = undefined;
      done?.resolve(reply);
      this.pump();
    });
    const fail = (why: string): void => {
      this.log(`background checker stopped (${why}); checking on the main thread`);
      this.broken = true;
      this.worker = undefined;
      const pending = [...(this.running ? [this.running] : []), ...this.queue.splice(0)];
      this.running = undefined;
      for (const w of pending) w.resolve({ id: w.request.id, error: why });
    };
    worker.on('error', (err) => fail(err.message));
    worker.on('exit', (code) => {
      if (this.worker === worker) fail(`exit code ${code}`);
    });
    worker.unref();
    return worker;
  }

  private pump(): void {
    if (this.running || this.queue.length === 0 || this.broken) return;
    this.worker ??= this.start();
    this.running = this.queue.shift()!;
    this.worker.postMessage(this.running.request);
  }

  async stop(): Promise<void> {
    const worker = this.worker;
    this.worker = undefined;
    await worker?.terminate();
  }
}
