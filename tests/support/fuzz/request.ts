import fs from "node:fs";
import { Worker } from "node:worker_threads";
import type { FieldValue, FuzzCase } from "./arbitraries";

// Turns a generated case into a Request and runs it against the in-process app under a
// deadline: an answer (body included) must come within the limit. An await that never
// resolves loses the race; work that blocks the event loop is measured after the fact, and
// a watchdog thread kills the process (printing the case) when the loop stays blocked.

export interface PersonaSession {
  cookie: string;
  csrf: string;
}

function fileOf(value: Exclude<FieldValue, string>): File {
  const bytes = new Uint8Array(value.size);
  for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 31 + 7) & 0xff;
  return new File([bytes], value.file, { type: value.type });
}

const text = (value: FieldValue) => (typeof value === "string" ? value : value.file);

export function toRequest(c: FuzzCase, session: PersonaSession | null): Request {
  const url = `http://${c.host}${c.path}${c.query ? `?${c.query}` : ""}`;
  // As over HTTP: the Host header names the URL's host (Remix's own origin check reads it).
  const headers = new Headers({ Host: c.host });
  const cookies: string[] = session ? [session.cookie] : [];
  for (const [name, value] of c.headers) {
    if (name === "Cookie") cookies.push(value);
    else if (name === "Origin" && value === "same") headers.set(name, `http://${c.host}`);
    else headers.set(name, value);
  }
  if (cookies.length) headers.set("Cookie", cookies.join("; "));
  if (c.body.kind === "none") return new Request(url, { method: c.method, headers });

  const fields: [string, FieldValue][] = [...c.body.fields];
  if (c.csrf && session) fields.unshift(["csrf", session.csrf]);
  if (c.body.padBytes) fields.push(["pad", "p".repeat(c.body.padBytes)]);
  let body: BodyInit;
  switch (c.body.kind) {
    case "urlencoded":
      body = new URLSearchParams(fields.map(([k, v]) => [k, text(v)]));
      break;
    case "multipart": {
      const form = new FormData();
      for (const [k, v] of fields) {
        if (typeof v === "string") form.append(k, v);
        else form.append(k, fileOf(v));
      }
      body = form;
      break;
    }
    case "json":
      headers.set("Content-Type", "application/json");
      body = JSON.stringify(Object.fromEntries(fields.map(([k, v]) => [k, text(v)])));
      break;
    case "text":
      headers.set("Content-Type", "text/plain;charset=UTF-8");
      body = fields.map(([k, v]) => `${k}=${text(v)}`).join("\r\n");
      break;
    case "raw":
      headers.set("Content-Type", "application/x-www-form-urlencoded");
      body = c.body.raw + (c.body.padBytes ? `&pad=${"p".repeat(c.body.padBytes)}` : "");
      break;
  }
  const request = new Request(url, { method: c.method, headers, body });
  if (c.body.contentType === null) return request;
  // A Content-Type that does not match the body (JSON to a form action, a boundary-less multipart …).
  const mismatched = new Headers(request.headers);
  mismatched.set("Content-Type", c.body.contentType);
  return new Request(request, { headers: mismatched });
}

export interface Answer {
  status: number;
  ms: number;
  body: string;
}

export class Timeout extends Error {}

export async function answer(
  app: (request: Request) => Promise<Response>,
  request: Request,
  limitMs: number,
): Promise<Answer> {
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Timeout(`no answer within ${limitMs} ms`)), limitMs);
  });
  try {
    const response = await Promise.race([app(request), deadline]);
    const body = await Promise.race([response.text(), deadline]);
    return { status: response.status, ms: performance.now() - started, body };
  } finally {
    clearTimeout(timer);
  }
}

/** Kills the process when one case blocks the event loop for `limitMs` (a synchronous hang). */
export function startWatchdog(limitMs: number, reportFile: string) {
  const worker = new Worker(
    `
    const { parentPort, workerData } = require("node:worker_threads");
    const fs = require("node:fs");
    let current = null, since = 0;
    parentPort.on("message", (m) => {
      if (m.type === "begin") { current = m.text; since = Date.now(); }
      else if (m.type === "end") current = null;
    });
    setInterval(() => {
      if (current && Date.now() - since > workerData.limitMs) {
        const text = "fuzz: the event loop was blocked for more than " + workerData.limitMs + " ms by:\\n" + current + "\\n";
        try { fs.writeFileSync(workerData.reportFile, text); } catch {}
        fs.writeSync(2, text);
        process.kill(process.pid, "SIGKILL");
      }
    }, 250);
    `,
    { eval: true, workerData: { limitMs, reportFile } },
  );
  worker.unref();
  return {
    begin: (text: string) => worker.postMessage({ type: "begin", text }),
    end: () => worker.postMessage({ type: "end" }),
    stop: () => worker.terminate(),
  };
}

export function clearReport(file: string) {
  fs.rmSync(file, { force: true });
}
