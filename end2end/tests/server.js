// Starts a fairtender server for the browser tests: a fresh SQLite database and document
// store in a temporary folder, on a free loopback port. Not a test file itself (node --test
// only runs *.test.js here).
//
// Needs FT_SERVER_BIN (the server binary) and FAIRTENDER_SITE_ROOT (the built site),
// both set by `cargo xtask test`.

import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

const READY_TIMEOUT_MS = 30_000;

function requiredEnv(name) {
  const value = process.env[name];
  if (!value) {
    throw new Error(`${name} is not set (run the browser tests through \`cargo xtask test\`)`);
  }
  return value;
}

/** A port the OS just handed out for 127.0.0.1 (bound to 0, then released). */
async function freePort() {
  const server = net.createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address();
  server.close();
  await once(server, 'close');
  return port;
}

/** Whether something accepts connections on 127.0.0.1:port. */
function portAnswers(port) {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    socket.setTimeout(1000);
    socket.once('connect', () => { socket.destroy(); resolve(true); });
    socket.once('timeout', () => { socket.destroy(); resolve(false); });
    socket.once('error', () => resolve(false));
  });
}

/** Runs `server <args>` to completion, rejecting with its output when it fails. */
async function runToEnd(bin, args, env) {
  const child = spawn(bin, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk) => { output += chunk; });
  child.stderr.on('data', (chunk) => { output += chunk; });
  const [code, signal] = await once(child, 'exit');
  if (code !== 0) {
    throw new Error(`\`${bin} ${args.join(' ')}\` failed (${signal ?? `exit ${code}`}):\n${output}`);
  }
}

/**
 * Starts `$FT_SERVER_BIN serve` and resolves once GET /readyz answers 200.
 * With `seed: true`, runs `seed-demo` against the same database first.
 * Returns { url, stop }; `stop()` ends the server and removes its temporary folder.
 */
export async function startServer({ seed = false } = {}) {
  const bin = requiredEnv('FT_SERVER_BIN');
  const siteRoot = requiredEnv('FAIRTENDER_SITE_ROOT');

  const port = await freePort();
  // An old server still answering here would make the tests pass against the wrong build.
  if (await portAnswers(port)) {
    throw new Error(`port ${port} is already answering; is an old server still running?`);
  }
  const url = `http://127.0.0.1:${port}`;
  const dir = await mkdtemp(path.join(os.tmpdir(), 'fairtender-e2e-'));
  // Only the settings below: the server refuses unknown FAIRTENDER_* variables, and the
  // test runner's own (FT_SERVER_BIN, FT_TEST_PG_URL...) are none of its business.
  const inherited = Object.fromEntries(
    Object.entries(process.env).filter(([name]) => !name.startsWith('FAIRTENDER_')),
  );
  const env = {
    ...inherited,
    FAIRTENDER_BIND: `127.0.0.1:${port}`,
    FAIRTENDER_DATABASE_URL: `sqlite://${dir}/ft.db?mode=rwc`,
    FAIRTENDER_SITE_ROOT: siteRoot,
    FAIRTENDER_PUBLIC_BASE_URL: url,
    FAIRTENDER_STORAGE_PATH: path.join(dir, 'docs'),
    FAIRTENDER_MODE: 'dev',
    // Lets a test pass a bid deadline: POST /__test/clock with seconds (dev mode only).
    FAIRTENDER_TEST_CLOCK: 'true',
  };

  let child;
  try {
    if (seed) {
      await runToEnd(bin, ['seed-demo'], env);
    }
    child = spawn(bin, ['serve'], { env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk) => { stderr += chunk; });
    let exited = null;
    child.once('exit', (code, signal) => { exited = signal ?? `exit ${code}`; });

    const deadline = Date.now() + READY_TIMEOUT_MS;
    for (;;) {
      if (exited) {
        throw new Error(`the server stopped before it was ready (${exited}); its stderr:\n${stderr}`);
      }
      const status = await fetch(`${url}/readyz`).then((r) => r.status, () => null);
      if (status === 200) break;
      if (Date.now() > deadline) {
        throw new Error(
          `GET ${url}/readyz did not answer 200 within ${READY_TIMEOUT_MS / 1000} s ` +
            `(last: ${status ?? 'no connection'}); the server's stderr:\n${stderr}`,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  } catch (error) {
    await stopProcess(child);
    await rm(dir, { recursive: true, force: true });
    throw error;
  }

  return {
    url,
    async stop() {
      await stopProcess(child);
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** SIGTERM, then SIGKILL if the process is still there after 5 s. */
async function stopProcess(child) {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
  await exited;
  clearTimeout(timer);
}
