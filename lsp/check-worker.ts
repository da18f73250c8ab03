// The background checker's thread: checks the files of a large intent and sends back only the
// diagnostics, so that the server's main thread keeps answering while a file of 100,000 lines is
// re-checked. It keeps its own incremental parse state per project (see workspace.ts).

import { parentPort } from 'node:worker_threads';
import { loadFrontEnd } from './frontend.js';
import { Project, ProjectFile } from './workspace.js';
import type { CheckReply, CheckRequest, ForgetRequest } from './background-check.js';

const frontEnd = await loadFrontEnd();
const projects = new Map<string, Project>();

parentPort!.on('message', (request: CheckRequest | ForgetRequest) => {
  if ('forget' in request) {
    projects.delete(request.forget);
    return;
  }
  let reply: CheckReply;
  try {
    let project = projects.get(request.projectId);
    if (!project) projects.set(request.projectId, (project = new Project(request.projectId, undefined)));
    project.files.clear();
    for (const f of request.files) project.files.set(f.name, new ProjectFile(f.name, f.name, f.text, undefined));
    // Only the diagnostics go back: the checked intent is not built here.
    const analysis = project.analysis(frontEnd, { intent: false });
    reply = { id: request.id, diagnostics: analysis.result.diagnostics, millis: analysis.millis, cpuMillis: analysis.cpuMillis };
  } catch (err) {
    reply = { id: request.id, error: err instanceof Error ? (err.stack ?? err.message) : String(err) };
  }
  parentPort!.postMessage(reply);
});
